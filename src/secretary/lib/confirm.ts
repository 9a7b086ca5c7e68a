import Taro from '@tarojs/taro'

/** The project's red ($color-primary): a step that cannot simply be undone is confirmed in red. */
export const DANGER_COLOR = '#c8102e'

/**
 * Asks before a destructive step. The title says the verb in full ("撤销这个党小组？");
 * the button repeats the verb, short because WeChat cuts a confirm button at
 * 4 characters; the other button says what not doing it means ("不撤销").
 * Resolves true only when the officer confirmed.
 */
export function confirmDanger(o: { title: string; content: string; confirmText: string; cancelText: string }): Promise<boolean> {
  return Taro.showModal({ ...o, confirmColor: DANGER_COLOR })
    .then((r) => r.confirm)
    .catch(() => false)
}
