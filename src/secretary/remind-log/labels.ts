import type { RemindLogRow, WechatDeliveryStatus } from '../../api/remind'

export const IN_APP_LABELS: Record<RemindLogRow['inApp'], string> = {
  read: '已读',
  delivered: '未读',
  held: '待送达',
  none: '未送达'
}

const WECHAT_LABELS: Record<WechatDeliveryStatus, string> = {
  sent: '已发送',
  failed: '失败',
  no_budget: '微信提醒已用完',
  not_attempted: '未发送',
  held: '早上再发送',
  rate_limited: '超出每日上限'
}

/** 失败 carries WeChat's own reason, so the secretary can tell a refusal from an outage. */
export function wechatText(row: Pick<RemindLogRow, 'wechat' | 'detail'>): string {
  const label = WECHAT_LABELS[row.wechat] ?? '未发送'
  return row.wechat === 'failed' && row.detail ? `${label}（${row.detail}）` : label
}
