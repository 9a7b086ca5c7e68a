/**
 * 扫码签到 on the web version: the phone's rear camera, full screen, reads
 * the venue QR and hands its text to the same check-in as the mini-program's
 * scan. Only where the browser offers the camera (https or localhost, a
 * browser with getUserMedia); the six-digit input below stays the way for
 * everyone else, and for anyone who refuses the camera.
 * The mini-program build resolves CameraScan.weapp.tsx instead (it scans
 * with Taro.scanCode), so none of this reaches its package.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { Button, Text, View } from '@tarojs/components'
import { useDidHide } from '@tarojs/taro'
import { parseCheckinToken } from '../../core/checkin/qr-slot'
import { createQrDecoder, type QrDecoder } from './qrDecoder'
import './camera-scan.scss'

/** A frame every so often, not every animation frame: a weak phone must keep the preview smooth. */
const FRAME_GAP_MS = 180
/** jsQR's work grows with pixels; a code filling the guide is still well over 100 px here. */
const MAX_SIDE = 640

type Problem = 'denied' | 'nocamera' | 'busy' | 'failed'

const PROBLEM_TEXT: Record<Problem, string> = {
  denied: '没能打开相机：浏览器没有允许本网页使用相机。可以在浏览器的设置里允许使用相机后再点“扫码签到”，也可以直接在下面输入大屏上的 6 位数字签到。',
  nocamera: '这台设备上没有找到能用的相机。请在下面输入大屏上的 6 位数字签到。',
  busy: '相机正被别的应用占用。请先关掉正在用相机的应用再试，或在下面输入大屏上的 6 位数字签到。',
  failed: '扫码没能打开，可能是网络不好。请稍后再点一次“扫码签到”，或在下面输入大屏上的 6 位数字签到。'
}

export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function'
}

function problemOf(err: unknown): Problem {
  const name = String((err as { name?: unknown })?.name ?? '')
  if (/NotAllowed|PermissionDenied|Security/i.test(name)) return 'denied'
  if (/NotFound|DevicesNotFound|Overconstrained/i.test(name)) return 'nocamera'
  if (/NotReadable|TrackStart|Abort/i.test(name)) return 'busy'
  return 'failed'
}

/** The centre square of the frame (what the guide frames), at most MAX_SIDE wide. */
function grab(video: HTMLVideoElement, canvas: HTMLCanvasElement) {
  const w = video.videoWidth
  const h = video.videoHeight
  if (!w || !h) return null
  const side = Math.min(w, h)
  const out = Math.min(side, MAX_SIDE)
  if (canvas.width !== out) {
    canvas.width = out
    canvas.height = out
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) return null
  ctx.drawImage(video, (w - side) / 2, (h - side) / 2, side, side, 0, 0, out, out)
  return ctx.getImageData(0, 0, out, out)
}

interface Props {
  /** The text of a scanned check-in QR: the page checks in with it exactly as the mini-program's scan does. */
  onToken: (text: string) => void
  /** The page's 长辈模式 class: the view lives outside the page, so it carries the class itself. */
  className?: string
}

export default function CameraScan({ onToken, className = '' }: Props) {
  const [open, setOpen] = useState(false)
  const [ready, setReady] = useState(false)
  const [notOurs, setNotOurs] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(null)
  const videoRef = useRef<HTMLVideoElement | null>(null)
  const tokenRef = useRef(onToken)
  tokenRef.current = onToken
  // Everything a running scan holds, so any way out (close, success, page hidden, unmount) releases the camera.
  const runRef = useRef<{ stream: MediaStream | null; timer: ReturnType<typeof setTimeout> | null; stopped: boolean } | null>(null)

  const stop = useCallback(() => {
    const run = runRef.current
    runRef.current = null
    if (run) {
      run.stopped = true
      if (run.timer) clearTimeout(run.timer)
      run.stream?.getTracks().forEach((t) => t.stop())
    }
    if (videoRef.current) videoRef.current.srcObject = null
    setOpen(false)
    setReady(false)
    setNotOurs(false)
  }, [])

  useEffect(() => {
    if (!open) return
    const run = { stream: null as MediaStream | null, timer: null as ReturnType<typeof setTimeout> | null, stopped: false }
    runRef.current = run
    const canvas = document.createElement('canvas')
    // Fetch the reader while the member answers the camera prompt.
    const decoderP = createQrDecoder()
    decoderP.catch(() => undefined)

    const tick = async (decoder: QrDecoder) => {
      if (run.stopped) return
      const video = videoRef.current
      let text: string | null = null
      try {
        const frame = video && video.readyState >= 2 ? grab(video, canvas) : null
        if (frame) text = await decoder.decode(frame)
      } catch {
        // One unreadable frame (a detector hiccup) is no reason to stop scanning.
      }
      if (run.stopped) return
      if (text && parseCheckinToken(text.trim())) {
        stop()
        tokenRef.current(text.trim())
        return
      }
      // Another QR in view (a poster, a payment code): say so and keep looking.
      if (text) setNotOurs(true)
      run.timer = setTimeout(() => void tick(decoder), FRAME_GAP_MS)
    }

    ;(async () => {
      let stream: MediaStream
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          // ideal, not exact: a laptop with only a front camera still scans.
          video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }
        })
      } catch (err) {
        if (run.stopped) return
        stop()
        setProblem(problemOf(err))
        return
      }
      if (run.stopped) {
        stream.getTracks().forEach((t) => t.stop())
        return
      }
      run.stream = stream
      const video = videoRef.current
      if (video) {
        video.srcObject = stream
        await video.play().catch(() => undefined)
      }
      let decoder: QrDecoder
      try {
        decoder = await decoderP
      } catch {
        if (run.stopped) return
        stop()
        setProblem('failed')
        return
      }
      if (run.stopped) return
      setReady(true)
      void tick(decoder)
    })()
    return () => {
      if (runRef.current === run) stop()
      else run.stopped = true
    }
  }, [open, stop])

  // Another tab, another page, the phone locked: the camera light goes off.
  useDidHide(stop)
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') stop()
    }
    document.addEventListener('visibilitychange', onVisibility)
    return () => document.removeEventListener('visibilitychange', onVisibility)
  }, [stop])

  const view = (
    <View className={`camera-scan ${className}`} role='dialog' aria-label='扫码签到'>
      <video ref={videoRef} className='camera-scan-video' autoPlay muted playsInline />
      <View className='camera-scan-frame' />
      <View className='camera-scan-top'>
        <Text className='camera-scan-hint'>把手机对准大屏上的二维码</Text>
        <Text className='camera-scan-sub'>
          {notOurs ? '这不是签到二维码，请对准大屏上的签到二维码。' : ready ? '二维码放进框里，会自动签到。' : '正在打开相机…'}
        </Text>
      </View>
      <Button className='camera-scan-close' onClick={stop}>
        关闭
      </Button>
    </View>
  )

  const start = () => {
    setProblem(null)
    setOpen(true)
  }

  return (
    <View className='camera-scan-entry'>
      <Button className='checkin-scan checkin-camera-open' onClick={start}>
        扫码签到
      </Button>
      {problem ? (
        <Text className='checkin-camera-problem' data-problem={problem}>
          {PROBLEM_TEXT[problem]}
        </Text>
      ) : null}
      {/* On <body>: inside the page, Taro's tab bar (its own stacking layer) would cover the 关闭 button. */}
      {open ? createPortal(view, document.body) : null}
    </View>
  )
}
