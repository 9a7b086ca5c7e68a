/**
 * Every collection the code uses, with its secondary indexes: the one list
 * that the embedded database builds its SQLite indexes from
 * (server/db/indexes.ts), that `cron.setup` creates on CloudBase (where a
 * collection must exist before use: -502005 otherwise), and that the README's
 * index table is printed from (scripts/print-indexes.ts). A test scans the
 * source for `collection('…')` and fails on a name missing here, or on a name
 * here that nothing uses.
 *
 * An index is a list of dotted field paths (a composite index when it has
 * more than one); `_id` is always indexed and never listed. On CloudBase
 * indexes are created in the console (none exist by default but `_id`).
 */
export interface CollectionSpec {
  indexes: string[][]
  /** Why these indexes, or why none (shown in the README table). */
  note?: string
  /** Written only by the local runtime (never created on CloudBase). */
  localOnly?: true
}

export const COLLECTIONS = {
  members: {
    indexes: [['openid'], ['branchId'], ['groupId'], ['phone'], ['employeeNo'], ['rosterKey'], ['branchHistory.branchId']],
    note: 'openid: every call finds its caller; phone / employeeNo / rosterKey: roster import; branchHistory: former members'
  },
  orgs: { indexes: [['parentId'], ['inviteCode'], ['type']] },
  sessions: {
    indexes: [['branchId', 'startAt'], ['recurrenceId'], ['status', 'startAt'], ['pendingFrom.status']],
    note: 'status+startAt: reminders look ahead across all branches; pendingFrom.status: a tally or cancellation still being counted member by member'
  },
  checkins: { indexes: [['sessionId'], ['memberId', 'at'], ['branchId', 'periodKeys.month']] },
  pending_checkins: {
    indexes: [['sessionId'], ['memberId']],
    note: 'phone-dated QR scans waiting for an officer (id = the check-in\'s); sessionId: the roster\'s 待确认; memberId: the member\'s own record'
  },
  leaves: { indexes: [['sessionId'], ['memberId'], ['branchId', 'status'], ['branchId', 'periodKeys.year']] },
  makeups: {
    indexes: [['memberId', 'status'], ['sessionId'], ['branchId', 'updatedAt'], ['branchId', 'periodKeys.year'], ['status', 'deadline']]
  },
  notes: { indexes: [['memberId', 'year'], ['branchId', 'year'], ['sessionId', 'memberId']], note: 'sessionId, memberId: a seminar\'s 交流材料 in its record (all, or one member\'s)' },
  ledger: {
    indexes: [['memberId', 'periodKeys.year'], ['branchId', 'periodKeys.month']],
    note: 'written with every check-in, so only what its reads need: a member\'s year, a branch\'s month'
  },
  points_nets: { indexes: [], note: 'read by _id (the claim key)' },
  aggregates: {
    indexes: [['scope', 'branchId', 'period'], ['scope', 'period']],
    note: 'incremented per counted fact: two indexes only; member aggregates are read by _id'
  },
  reminders: { indexes: [['branchId', 'createdAt']] },
  deliveries: {
    indexes: [['memberId', 'deliverAt'], ['reminderId'], ['wechat.status', 'deliverAt']],
    note: 'wechat.status+deliverAt: the morning run sends what quiet hours held'
  },
  minutes: { indexes: [], note: '会议纪实: read by _id (= the session\'s id)' },
  minutes_photos: { indexes: [['sessionId']], note: '会议纪实 photos: a slot per photo (_id session:slot) and removals after the lock; read by session' },
  talks: { indexes: [['branchId', 'quarter']], note: '谈心谈话: a branch\'s quarter, shown on its warnings' },
  reviews: { indexes: [['branchId', 'year']], note: '民主评议: one per branch-year (id from both); branchId+year: the branch\'s latest, a member\'s own years' },
  review_ballots: { indexes: [['reviewId']], note: '民主评议 sheets: random id, no grader, no time; reviewId: the tally once grading closes' },
  review_voters: { indexes: [['reviewId']], note: 'that a member graded (id from review and member), nothing of how; reviewId: progress' },
  review_selves: { indexes: [['reviewId']], note: '自我评价 (id from review and member); reviewId: the committee reads them all' },
  feedback: {
    indexes: [['memberId', 'createdAt'], ['branchId', 'createdAt'], ['orgPath', 'createdAt']],
    note: '意见建议: the member\'s own, a branch\'s (officers), everything under a 党委 (orgPath, admins)'
  },
  subscription_budgets: { indexes: [['memberId']], note: 'read by _id when sending; by member for the secretary\'s view' },
  audit: { indexes: [['orgId', 'at']] },
  settings: { indexes: [], note: 'read by _id (one per organisation)' },
  note_prints: { indexes: [['pendingAt']], note: 'originality index, read by _id (notes/hashes are arrays); pendingAt: postings a crash left unfinished' },
  note_postings: { indexes: [], note: 'originality index, read by _id' },
  note_sources: { indexes: [['orgId'], ['status']], note: 'study materials (originality sources), read by _id; orgId: an org\'s list; status: indexing or removal a closed page left' },
  tally_marks: { indexes: [['sessionId']], note: 'per (session, member): the session state the member\'s counts reflect; read by _id, and by session while a change is counted' },
  cron_state: { indexes: [], note: 'timer jobs\' cursors, read by _id' },
  recounts: { indexes: [['updatedAt']], note: 'branches whose year a figure-moving change left to rebuild (recount.ts); the tick drains them oldest first' },
  rate_limits: { indexes: [['expiresAt']], note: 'per-member fixed-window counters, written by _id (class, member, window); expiresAt: the cron tick removes spent windows' },
  wechat_outbox: { indexes: [], note: 'local runtime only: subscribe messages it would have sent', localOnly: true }
} satisfies Record<string, CollectionSpec>

export type CollectionName = keyof typeof COLLECTIONS

/** Every declared name, in the list's order. */
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[]

/** The collections a CloudBase environment needs (what `cron.setup` creates). */
export const CLOUD_COLLECTIONS = COLLECTION_NAMES.filter((n) => !(COLLECTIONS[n] as CollectionSpec).localOnly)
