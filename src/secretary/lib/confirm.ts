import Taro from '@tarojs/taro'

/** The project's red ($color-primary): a step that cannot simply be undone is confirmed in red. */
export const DANGER_COLOR = '#c8102e'

export interface DangerAsk {
  title: string
  content: string
  confirmText: string
  cancelText: string
}

/**
 * Asks before a destructive step. The title says the verb in full ("撤销这个党小组？");
 * the button repeats the verb, short because WeChat cuts a confirm button at
 * 4 characters; the other button says what not doing it means ("不撤销").
 * Resolves true only when the officer confirmed.
 *
 * In the mini-program this is WeChat's own modal. On the web a modal in the
 * middle of a long page is far from the button the officer just pressed and
 * hides what they were looking at, so the question opens next to the tap
 * (see askNearTap); the signature is the same, callers do not change.
 */
export function confirmDanger(o: DangerAsk): Promise<boolean> {
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') return askNearTap(o)
  return Taro.showModal({ ...o, confirmColor: DANGER_COLOR })
    .then((r) => r.confirm)
    .catch(() => false)
}

/** Where the last tap or click landed, and on what: the anchor for the next question. */
let lastTap: { x: number; y: number; at: number; target: Element | null } | null = null

function remember(e: MouseEvent) {
  const target = e.target instanceof Element ? e.target : null
  // A click from the keyboard (Enter / Space) has no position: anchor on the focused button instead.
  if (e.type === 'click' && e.detail === 0 && target) {
    const r = target.getBoundingClientRect()
    lastTap = { x: r.left + r.width / 2, y: r.top + r.height / 2, at: Date.now(), target }
  } else lastTap = { x: e.clientX, y: e.clientY, at: Date.now(), target }
}

if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
  // Capture phase: seen before any page handler can stop it.
  document.addEventListener('pointerdown', remember, true)
  document.addEventListener('click', remember, true)
}

const MARGIN = 8
const GAP = 12

function el(tag: string, style: Partial<CSSStyleDeclaration>, text?: string): HTMLElement {
  const node = document.createElement(tag)
  Object.assign(node.style, style)
  if (text !== undefined) node.textContent = text
  return node
}

function askNearTap(o: DangerAsk): Promise<boolean> {
  const tap = lastTap && Date.now() - lastTap.at < 3000 ? lastTap : null
  const large = !!tap?.target?.closest('.page--large')
  const font = large ? 20 : 16
  // Kept inside the app's own column (375 px on a phone, centred on a desktop).
  const app = document.getElementById('app')?.getBoundingClientRect()
  const left0 = Math.max(0, app?.left ?? 0)
  const right0 = Math.min(window.innerWidth, app && app.width > 0 ? app.right : window.innerWidth)
  const width = Math.min(340, right0 - left0 - 2 * MARGIN)
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null

  const backdrop = el('div', { position: 'fixed', inset: '0', background: 'rgba(0,0,0,0.2)', zIndex: '10000' })
  backdrop.className = 'danger-confirm-backdrop'
  const box = el('div', {
    position: 'fixed', width: `${width}px`, boxSizing: 'border-box', padding: '16px', background: '#fff', borderRadius: '12px',
    boxShadow: '0 6px 24px rgba(0,0,0,0.25)', borderTop: `4px solid ${DANGER_COLOR}`, zIndex: '10001', fontSize: `${font}px`, lineHeight: '1.6', color: '#222'
  })
  box.className = 'danger-confirm'
  box.setAttribute('role', 'alertdialog')
  box.setAttribute('aria-modal', 'true')
  const title = el('div', { fontWeight: 'bold', fontSize: `${font + 2}px`, marginBottom: '6px' }, o.title)
  title.id = 'danger-confirm-title'
  const content = el('div', { color: '#555', marginBottom: '14px' }, o.content)
  content.id = 'danger-confirm-content'
  box.setAttribute('aria-labelledby', title.id)
  box.setAttribute('aria-describedby', content.id)
  const row = el('div', { display: 'flex', gap: '12px' })
  const button = { flex: '1', minHeight: '48px', borderRadius: '8px', fontSize: `${font}px`, cursor: 'pointer' }
  const cancel = el('button', { ...button, background: '#fff', color: '#222', border: '2px solid #ccc' }, o.cancelText) as HTMLButtonElement
  cancel.className = 'danger-confirm-cancel'
  const ok = el('button', { ...button, background: DANGER_COLOR, color: '#fff', border: `2px solid ${DANGER_COLOR}`, fontWeight: 'bold' }, o.confirmText) as HTMLButtonElement
  ok.className = 'danger-confirm-ok'
  for (const b of [cancel, ok]) b.type = 'button'
  row.append(cancel, ok)
  box.append(title, content, row)
  document.body.append(backdrop, box)

  // Below the tap when it fits, else above it; never off the screen.
  const h = box.getBoundingClientRect().height
  const x = tap ? tap.x : (left0 + right0) / 2
  const y = tap ? tap.y : window.innerHeight / 2 - h / 2 - GAP
  const left = Math.min(Math.max(x - width / 2, left0 + MARGIN), right0 - width - MARGIN)
  const below = y + GAP
  const top = below + h <= window.innerHeight - MARGIN ? below : Math.max(MARGIN, Math.min(y - GAP - h, window.innerHeight - h - MARGIN))
  box.style.left = `${left}px`
  box.style.top = `${top}px`
  // The safe choice has the focus: Enter right after the tap does not destroy anything.
  cancel.focus()

  return new Promise<boolean>((resolve) => {
    const close = (answer: boolean) => {
      document.removeEventListener('keydown', onKey, true)
      backdrop.remove()
      box.remove()
      before?.focus?.()
      resolve(answer)
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault()
        close(false)
      } else if (e.key === 'Tab') {
        // Two buttons: Tab moves between them and stays in the question.
        e.preventDefault()
        ;(document.activeElement === cancel ? ok : cancel).focus()
      }
    }
    document.addEventListener('keydown', onKey, true)
    backdrop.addEventListener('click', () => close(false))
    cancel.addEventListener('click', () => close(false))
    ok.addEventListener('click', () => close(true))
  })
}
