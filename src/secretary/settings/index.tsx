import { useEffect, useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import { tree, type OrgNode } from '../../api/org'
import { getSettings, updateSettings, type OrgSettingsValues, type SettingsChange, type Visibility } from '../../api/settings'
import StatusBlock from '../../components/StatusBlock'
import { formatShanghai } from '../../core/period'
import { VISIBILITY_LABELS, VISIBILITY_LEVELS, type VisibilityLevel } from '../../core/vocab/settings'
import { changeRuleValue, latestRule, planRuleChanges, renameRule, ruleInForce } from '../../core/stats/rule-changes'
import { useAction } from '../../hooks/useAction'
import { useMe } from '../../hooks/useMe'
import { useRequest } from '../../hooks/useRequest'
import { useRefreshRound } from '../../hooks/useShownAgain'
import { dateValue, shanghaiEpoch } from '../lib/time'
import { Chips, Field, SwitchRow } from '../schedule/fields'
import { Card, Stepper, int } from './parts'
import QuotasCard from './QuotasCard'
import ReminderScheduleCard from './ReminderScheduleCard'
import CheckinRulesCard from './CheckinRulesCard'
import './index.scss'
import { useLargeText } from '../../hooks/useLargeText'
import { withPageBoundary } from '../../components/PageBoundary'

const LEVELS = VISIBILITY_LEVELS.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }))
type RuleDraft = { label: string; points: number; date: string }
type WarnDraft = { yellowAbsences: number; redAbsences: number; yellowPointsBelow: number | null; alertMonthsAbsent: number; yellowPace: string; redPace: string }

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

/** 规则与定额: admins set rankings' visibility, note quotas, points rules and warning thresholds. */
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

  const [vis, setVis] = useState<Visibility>({ memberRanking: 'secretaries', branchRanking: 'secretaries' })
  const [showPoints, setShowPoints] = useState(true)
  const [rules, setRules] = useState<Record<string, RuleDraft>>({})
  const [cap, setCap] = useState(5)
  const [warn, setWarn] = useState<WarnDraft | null>(null)
  const [saved, setSaved] = useState('')
  const acts = { vis: useAction(), show: useAction(), quotas: useAction(), rules: useAction(), warn: useAction(), remind: useAction(), checkin: useAction() }

  // A fresh read (another org, or after a save) resets every draft to what is stored.
  useEffect(() => {
    if (!s) return
    const now = Date.now()
    setVis(s.visibility)
    setShowPoints(s.showPointsToMembers)
    const drafts: Record<string, RuleDraft> = {}
    for (const r of s.pointsRules) {
      if (drafts[r.rule]) continue
      const shown = ruleInForce(s.pointsRules, r.rule, now) ?? latestRule(s.pointsRules, r.rule) ?? r
      drafts[r.rule] = { label: latestRule(s.pointsRules, r.rule)?.label ?? r.label, points: shown.points, date: dateValue(now) }
    }
    setRules(drafts)
    setCap(s.notePointsMonthlyCap)
    const w = s.warnings
    setWarn({ ...w, yellowPace: String(Math.round(w.yellowPace * 100)), redPace: String(Math.round(w.redPace * 100)) })
  }, [s])

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

  const save = (key: keyof typeof acts, change: SettingsChange) =>
    acts[key].run(async () => {
      await updateSettings(orgId as string, change)
      setSaved(key)
      refresh()
    }, '没有保存成功，请稍后再试')
  const fail = (key: keyof typeof acts, message: string) => {
    setSaved('')
    acts[key].setMessage(message)
  }

  const saveRules = () => {
    if (!s) return
    let next = s.pointsRules
    for (const [key, d] of Object.entries(rules)) {
      const label = d.label.trim()
      if (!label || label.length > 30) return fail('rules', '规则名称请填 1 到 30 个字')
      if (label !== latestRule(next, key)?.label) next = renameRule(next, key, label)
      const inForce = ruleInForce(s.pointsRules, key, Date.now()) ?? latestRule(s.pointsRules, key)
      if (inForce && d.points !== inForce.points) next = changeRuleValue(next, key, d.points, shanghaiEpoch(d.date))
    }
    const plan = planRuleChanges(s.pointsRules, next, Date.now())
    if (!plan.ok) return fail('rules', plan.message)
    void save('rules', { pointsRules: plan.rules, notePointsMonthlyCap: cap })
  }

  const saveWarnings = () => {
    if (!warn) return
    const yellowPace = int(warn.yellowPace, 0, 100)
    const redPace = int(warn.redPace, 0, 100)
    if (yellowPace === null || redPace === null) return fail('warn', '进度比例请填 0 到 100 之间的整数')
    if (warn.redAbsences <= warn.yellowAbsences) return fail('warn', '红色预警需要的缺席次数要比黄色预警多')
    if (redPace >= yellowPace) return fail('warn', '红色预警的进度比例要低于黄色预警')
    const { yellowAbsences, redAbsences, yellowPointsBelow, alertMonthsAbsent } = warn
    void save('warn', { warnings: { yellowAbsences, redAbsences, yellowPointsBelow, alertMonthsAbsent, yellowPace: yellowPace / 100, redPace: redPace / 100 } })
  }

  const now = Date.now()
  const today = dateValue(now)
  return (
    <View className={`page st-page ${lt.className}`}>
      <Text className='page-title'>规则与定额</Text>
      <Text className='page-lead'>这些设置决定党员的笔记定额、积分怎么算、谁能看到排名。党员始终能看到自己的记录。</Text>

      <StatusBlock loading={orgs.loading && !orgs.data} error={orgs.error} onRetry={orgs.retry} />
      {list.length > 1 ? (
        <Field label='设置哪个组织'>
          <Chips className='st-orgs' options={list.map((o) => ({ value: o._id, label: o.name }))} value={orgId ?? ''} onChange={(id) => setPicked(id)} />
        </Field>
      ) : null}
      {orgId && req.data ? <Text className='st-source' data-from={req.data.inheritedFrom ?? 'default'}>{sourceText(orgId, req.data.inheritedFrom, req.data.updatedAt, names)}</Text> : null}
      <StatusBlock loading={req.loading && !req.data} error={req.error} onRetry={req.retry} />

      {s && warn ? (
        <>
          <Card title='可见范围' className='st-visibility' act={acts.vis} saved={saved === 'vis'} onSave={() => void save('vis', { visibility: vis })}
            hint='谁能看到排名。默认只给支部书记及以上看，避免变成比拼和负担。'>
            <Field label='党员个人排名'>
              <Chips<VisibilityLevel> className='st-member-ranking' options={LEVELS} value={vis.memberRanking} onChange={(v) => setVis({ ...vis, memberRanking: v })} />
            </Field>
            <Field label='支部排名'>
              <Chips<VisibilityLevel> className='st-branch-ranking' options={LEVELS} value={vis.branchRanking} onChange={(v) => setVis({ ...vis, branchRanking: v })} />
            </Field>
          </Card>

          <Card title='积分显示' className='st-show-points' act={acts.show} saved={saved === 'show'} onSave={() => void save('show', { showPointsToMembers: showPoints })}>
            <SwitchRow className='st-show-points-switch' label='向党员显示积分' hint='关闭后，党员看不到自己的积分，书记和管理员仍可查看。' checked={showPoints} onChange={setShowPoints} />
          </Card>

          <QuotasCard stored={s.quotas} essayMinWords={s.essayMinWords} essayCap={s.essayPointsQuarterlyCap} act={acts.quotas} saved={saved === 'quotas'} onSave={(quotas, essayMinWords, essayPointsQuarterlyCap) => void save('quotas', { quotas, essayMinWords, essayPointsQuarterlyCap })} onInvalid={(m) => fail('quotas', m)} />

          <Card title='积分规则' className='st-rules' act={acts.rules} saved={saved === 'rules'} onSave={saveRules}
            hint='改分值时要选一个生效日期：新分值从那天起计算，之前已经得到的积分不会改变。'>
            {Object.entries(rules).map(([key, d]) => {
              const active = ruleInForce(s.pointsRules, key, now)
              const inForce = active ?? latestRule(s.pointsRules, key)
              const changed = !!inForce && d.points !== inForce.points
              const upcoming = s.pointsRules.filter((r) => r.rule === key && r.from > now)
              const set = (patch: Partial<RuleDraft>) => setRules({ ...rules, [key]: { ...d, ...patch } })
              return (
                <View key={key} className={`st-rule st-rule-${key}`} data-rule={key}>
                  <Input className='form-input st-rule-label' value={d.label} maxlength={30} onInput={(e) => set({ label: e.detail.value })} />
                  <View className='st-rule-row'>
                    <Text className='st-rule-now'>{active ? `现在 ${active.points} 分` : upcoming.length > 0 ? '尚未生效' : '已停用'}</Text>
                    <Stepper className='st-rule-points' value={d.points} min={-100} max={100} onChange={(points) => set({ points })} />
                  </View>
                  {upcoming.map((r) => (
                    <Text key={r.from} className='form-hint st-rule-upcoming'>{`已定：${formatShanghai(r.from, 'YYYY年M月D日')}起 ${r.points} 分`}</Text>
                  ))}
                  {changed ? (
                    <Field label='从哪天起按新分值计算' hint={`从这天起按 ${d.points} 分计算；在这之前已经得到的积分不会改变。`}>
                      <Picker mode='date' value={d.date} start={today} onChange={(e) => set({ date: String(e.detail.value) })}>
                        <View className='form-picker st-rule-date' data-value={d.date}>{d.date === today ? `${d.date}（今天）` : d.date}</View>
                      </Picker>
                    </Field>
                  ) : null}
                </View>
              )
            })}
            <Field label='笔记积分每月最多几分' hint='每月按笔记字数最多得这么多分，平时坚持写的，比年底突击补写的更划算。'>
              <Stepper className='st-note-cap' value={cap} min={0} max={100} onChange={setCap} />
            </Field>
          </Card>

          <Card title='预警阈值' className='st-warnings' act={acts.warn} saved={saved === 'warn'} onSave={saveWarnings}
            hint='每季度按这些标准提示黄色、红色预警，帮助书记及早谈心提醒。'>
            <Field label='一个季度无故缺席几次：黄色预警'>
              <Stepper className='st-yellow-absences' value={warn.yellowAbsences} min={1} max={20} onChange={(v) => setWarn({ ...warn, yellowAbsences: v })} />
            </Field>
            <Field label='一个季度无故缺席几次：红色预警'>
              <Stepper className='st-red-absences' value={warn.redAbsences} min={1} max={20} onChange={(v) => setWarn({ ...warn, redAbsences: v })} />
            </Field>
            <SwitchRow className='st-points-warning' label='按季度积分预警' hint='季度积分低于下面的分数时提示黄色预警。' checked={warn.yellowPointsBelow !== null}
              onChange={(on) => setWarn({ ...warn, yellowPointsBelow: on ? 0 : null })} />
            {warn.yellowPointsBelow !== null ? (
              <Stepper className='st-yellow-points' value={warn.yellowPointsBelow} min={-100} max={100} onChange={(v) => setWarn({ ...warn, yellowPointsBelow: v })} />
            ) : null}
            <Field label='笔记进度低于应有进度的百分之几：提示“进度偏慢”'>
              <Input className='form-input st-yellow-pace' type='number' value={warn.yellowPace} onInput={(e) => setWarn({ ...warn, yellowPace: e.detail.value })} />
            </Field>
            <Field label='笔记进度低于百分之几：红色预警（第四季度）'>
              <Input className='form-input st-red-pace' type='number' value={warn.redPace} onInput={(e) => setWarn({ ...warn, redPace: e.detail.value })} />
            </Field>
            <Field label='连续几个月没有参加组织生活就提醒书记' hint='党章规定连续六个月不参加组织生活视为自行脱党，提前提醒，留出谈心的时间。'>
              <Stepper className='st-alert-months' value={warn.alertMonthsAbsent} min={1} max={5} onChange={(v) => setWarn({ ...warn, alertMonthsAbsent: v })} />
            </Field>
          </Card>

          <CheckinRulesCard stored={{ requireLocation: s.requireLocation, exemptAge: s.exemptAge }} act={acts.checkin} saved={saved === 'checkin'} onSave={(r) => void save('checkin', r)} />

          <ReminderScheduleCard stored={s.reminders} act={acts.remind} saved={saved === 'remind'} onSave={(reminders) => void save('remind', { reminders })} />
        </>
      ) : null}
    </View>
  )
}

export default withPageBoundary(SecretarySettings)
