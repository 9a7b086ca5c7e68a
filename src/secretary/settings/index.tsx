import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { tree, type OrgNode } from '../../api/org'
import { getSettings, updateSettings, type OrgSettingsValues, type SettingsChange, type Visibility } from '../../api/settings'
import StatusBlock from '../../components/StatusBlock'
import { formatShanghai } from '../../core/period'
import { VISIBILITY_LABELS, VISIBILITY_LEVELS, type VisibilityLevel } from '../../core/vocab/settings'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { Chips, Field } from '../schedule/fields'
import { Card, useDraft, type GroupProps } from './parts'
import QuotasCard from './QuotasCard'
import PointsCard from './PointsCard'
import WarningsCard from './WarningsCard'
import ReminderScheduleCard from './ReminderScheduleCard'
import CheckinRulesCard from './CheckinRulesCard'
import ReviewShareCard from './ReviewShareCard'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const LEVELS = VISIBILITY_LEVELS.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }))

/** Orgs an admin may set: their 党委 and the 总支 / 支部 under it (groups follow their branch). */
function settable(roots: OrgNode[]): OrgNode[] {
  const walk = (n: OrgNode): OrgNode[] => (n.type === 'group' ? [] : [n, ...n.children.flatMap(walk)])
  return roots.flatMap(walk)
}

function sourceText(orgId: string, from: string | null, updatedAt: number | null, names: Map<string, string>): string {
  if (from === orgId) return `本级设置${updatedAt ? `，最后修改于 ${formatShanghai(updatedAt, 'YYYY年M月D日')}` : ''}。`
  if (from) return `现在沿用「${names.get(from) ?? '上级组织'}」的设置。在这里保存后，本组织改用自己的设置。`
  return '现在使用系统默认设置，保存后本组织改用自己的设置。'
}

/** 排行公开范围: who may see which ranking. */
function VisibilityCard({ stored, act, savedAt, scope, onSave }: GroupProps & { stored: Visibility; onSave: (v: Visibility) => void }) {
  const [vis, setVis] = useDraft(() => stored, stored, scope)
  return (
    <Card title='排行公开范围' className='st-visibility' act={act} savedAt={savedAt} onSave={() => onSave(vis)}
      hint='谁能看到排名。默认只给支部书记及以上看，避免变成比拼和负担；党员始终能看到自己的记录。'>
      <Field label='党员个人排名'>
        <Chips<VisibilityLevel> className='st-member-ranking' options={LEVELS} value={vis.memberRanking} onChange={(v) => setVis({ ...vis, memberRanking: v })} />
      </Field>
      <Field label='支部排名'>
        <Chips<VisibilityLevel> className='st-branch-ranking' options={LEVELS} value={vis.branchRanking} onChange={(v) => setVis({ ...vis, branchRanking: v })} />
      </Field>
    </Card>
  )
}

type Group = 'checkin' | 'quotas' | 'points' | 'warn' | 'remind' | 'vis' | 'review'

/**
 * 规则与定额: admins set the rules in a few plain groups, each with its own
 * 保存 that sends only that group's fields (org.updateSettings replaces the
 * sections it is given), and each saying when it was saved.
 */
function SecretarySettings() {
  const lt = useLargeText()
  const { me, error: meError, reload } = useMe()
  const isAdmin = !!me && me.member.roles.some((r) => r.role === 'admin')
  const orgs = useRequest(isAdmin ? 'orgs' : null, () => tree())
  const list = settable(orgs.data ?? [])
  const names = new Map(list.map((o) => [o._id, o.name]))
  const [picked, setPicked] = useState<string | null>(null)
  const orgId = picked ?? list[0]?._id ?? null
  const [round, refresh] = useRefreshRound()
  const req = useRequest(orgId ? `st:${orgId}:${round}` : null, () => getSettings(orgId as string))
  const s: OrgSettingsValues | undefined = req.data?.settings
  const [savedAt, setSavedAt] = useState<Partial<Record<Group, number>>>({})
  const acts: Record<Group, ReturnType<typeof useAction>> = { checkin: useAction(), quotas: useAction(), points: useAction(), warn: useAction(), remind: useAction(), vis: useAction(), review: useAction() }

  if (meError && !me) return <View className={`page st-page ${lt.className}`}><StatusBlock error={meError} onRetry={reload} /></View>
  if (me && !isAdmin) {
    return (
      <View className={`page st-page ${lt.className}`}>
        <View className='st-notice'>
          <Text className='st-notice-text'>积分规则、笔记定额和排名的可见范围由党委管理员统一设置。您可以在“我的”里查看自己的积分和进度；如需调整，请联系党委。</Text>
        </View>
      </View>
    )
  }

  const save = (key: Group, change: SettingsChange) =>
    void acts[key].run(async () => {
      await updateSettings(orgId as string, change)
      setSavedAt((m) => ({ ...m, [key]: Date.now() }))
      refresh()
    }, '没有保存成功，请稍后再试')
  const group = (key: Group) => ({ act: acts[key], savedAt: savedAt[key] ?? null, scope: orgId ?? '' })
  const pick = (id: string) => {
    setPicked(id)
    setSavedAt({})
  }

  return (
    <View className={`page st-page ${lt.className}`}>
      <Text className='page-title'>规则与定额</Text>
      <Text className='page-lead'>这些设置决定签到怎么核对、笔记定额、积分怎么算、何时提醒、谁能看到排名。每组单独保存，只改这一组。</Text>

      <StatusBlock loading={orgs.loading && !orgs.data} error={orgs.error} onRetry={orgs.retry} />
      {list.length > 1 ? (
        <Field label='设置哪个组织'>
          <Chips className='st-orgs' options={list.map((o) => ({ value: o._id, label: o.name }))} value={orgId ?? ''} onChange={pick} />
        </Field>
      ) : null}
      {orgId && req.data ? <Text className='st-source' data-from={req.data.inheritedFrom ?? 'default'}>{sourceText(orgId, req.data.inheritedFrom, req.data.updatedAt, names)}</Text> : null}
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />

      {s ? (
        <>
          <CheckinRulesCard {...group('checkin')} stored={{ requireLocation: s.requireLocation, exemptAge: s.exemptAge }} onSave={(r) => save('checkin', r)} />
          <QuotasCard {...group('quotas')} stored={s.quotas} essayMinWords={s.essayMinWords} essayCap={s.essayPointsQuarterlyCap}
            onSave={(quotas, essayMinWords, essayPointsQuarterlyCap) => save('quotas', { quotas, essayMinWords, essayPointsQuarterlyCap })} />
          <PointsCard {...group('points')} stored={{ showPointsToMembers: s.showPointsToMembers, pointsRules: s.pointsRules, notePointsMonthlyCap: s.notePointsMonthlyCap }} onSave={(v) => save('points', v)} />
          <WarningsCard {...group('warn')} stored={s.warnings} onSave={(warnings) => save('warn', { warnings })} />
          <ReminderScheduleCard {...group('remind')} stored={s.reminders} onSave={(reminders) => save('remind', { reminders })} />
          <VisibilityCard {...group('vis')} stored={s.visibility} onSave={(visibility) => save('vis', { visibility })} />
          <ReviewShareCard {...group('review')} stored={s.reviewExcellentShare} onSave={(reviewExcellentShare) => save('review', { reviewExcellentShare })} />
        </>
      ) : null}
    </View>
  )
}

export default withPageBoundary(SecretarySettings)
