import { useMemo } from 'react'
import { View } from '@tarojs/components'
import { encode } from 'uqr'
import './qr-code.scss'

interface Run {
  dark: boolean
  len: number
}

/** Each row as runs of equal modules, so a 37×37 code is a few hundred Views, not 1,369. */
function rowsOf(data: boolean[][]): Run[][] {
  return data.map((row) => {
    const runs: Run[] = []
    for (const dark of row) {
      const last = runs[runs.length - 1]
      if (last && last.dark === dark) last.len++
      else runs.push({ dark, len: 1 })
    }
    return runs
  })
}

/**
 * A QR code drawn with plain Views (flex rows of dark and light runs): the
 * same on weapp and H5, no canvas node queries, crisp at any size. The box
 * is sized by the `qr-code` class; modules share it by flex weights.
 */
export default function QrCode({ text }: { text: string }) {
  const rows = useMemo(() => {
    // M: survives a glare spot on a projector; border 2 keeps a quiet zone inside the box.
    const qr = encode(text, { ecc: 'M', border: 2 })
    return rowsOf(qr.data)
  }, [text])
  return (
    <View className='qr-code' aria-label='签到二维码'>
      {rows.map((runs, y) => (
        <View key={y} className='qr-code-row'>
          {runs.map((r, x) => (
            <View key={x} className={r.dark ? 'qr-m qr-m-dark' : 'qr-m'} style={{ flexGrow: r.len }} />
          ))}
        </View>
      ))}
    </View>
  )
}
