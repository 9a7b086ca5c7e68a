import {
  DbError,
  type AggregateCommand,
  type DbCommand,
  type QueryCommand,
  type UpdateCommand
} from '../../cloudfunctions/_shared/db'

/**
 * `db.command`: the objects are inert descriptions; translate.ts and update.ts
 * turn them into MongoDB operators. Argument shapes follow wx-server-sdk
 * (@cloudbase/database), e.g. `_.or([a, b])` and `_.or(a, b)` are the same.
 */

export type FieldOp =
  | 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin'
  | 'exists' | 'size' | 'all' | 'elemMatch' | 'mod' | 'not'
export type LogicOp = 'and' | 'or' | 'nor'
export type UpdateOp =
  | 'set' | 'remove' | 'inc' | 'mul' | 'min' | 'max' | 'rename'
  | 'push' | 'pop' | 'shift' | 'unshift' | 'addToSet' | 'pull' | 'pullAll'

/** CloudBase accepts a single array or a list of arguments for variadic commands. */
function spread(args: unknown[]): unknown[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args
}

abstract class QueryCmdBase implements QueryCommand {
  readonly __cmd = 'query' as const
  and(...others: unknown[]): QueryCommand {
    return new LogicCmd('and', [this, ...spread(others)])
  }
  or(...others: unknown[]): QueryCommand {
    return new LogicCmd('or', [this, ...spread(others)])
  }
}

/** A field-level operator: `{ age: _.gt(18) }`. */
export class FieldCmd extends QueryCmdBase {
  constructor(readonly op: FieldOp, readonly arg: unknown) {
    super()
  }
}

/**
 * `and` / `or` / `nor`. Operands are commands (field level: `_.gt(1).and(_.lt(5))`)
 * or whole conditions (top level: `_.or([{ a: 1 }, { b: 2 }])`); which one
 * is decided by where the command is used.
 */
export class LogicCmd extends QueryCmdBase {
  constructor(readonly op: LogicOp, readonly operands: unknown[]) {
    super()
  }
}

export class UpdateCmd implements UpdateCommand {
  readonly __cmd = 'update' as const
  constructor(readonly op: UpdateOp, readonly arg: unknown) {}
}

export function isQueryCmd(v: unknown): v is FieldCmd | LogicCmd {
  return v instanceof QueryCmdBase
}

export function isUpdateCmd(v: unknown): v is UpdateCmd {
  return v instanceof UpdateCmd
}

function needArray(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new DbError('INVALID_QUERY', `command.${name} expects an array`)
  return v
}

function needNumber(name: string, v: unknown, code: 'INVALID_QUERY' | 'INVALID_UPDATE'): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DbError(code, `command.${name} expects a finite number`)
  return v
}

/** `{ each: [...] }` (CloudBase style) or `{ $each: [...] }` → the list, else null. */
function eachList(v: unknown): unknown[] | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null
  const o = v as Record<string, unknown>
  const list = 'each' in o ? o.each : '$each' in o ? o.$each : undefined
  return Array.isArray(list) ? list : null
}

const one = (op: string) => (e: unknown): unknown => ({ [`$${op}`]: e })
const many = (op: string) => (...e: unknown[]): unknown => ({ [`$${op}`]: spread(e) })

export const aggregateCommand: AggregateCommand = {
  sum: one('sum'),
  avg: one('avg'),
  min: one('min'),
  max: one('max'),
  first: one('first'),
  last: one('last'),
  push: one('push'),
  addToSet: one('addToSet'),
  cond: one('cond'),
  eq: (a: unknown, b?: unknown) => ({ $eq: b === undefined && Array.isArray(a) ? a : [a, b] }),
  add: many('add'),
  subtract: many('subtract'),
  multiply: many('multiply'),
  divide: many('divide'),
  size: one('size'),
  ifNull: many('ifNull'),
  concat: many('concat')
}

export function createCommand(): DbCommand {
  return {
    eq: (v) => new FieldCmd('eq', v),
    neq: (v) => new FieldCmd('neq', v),
    gt: (v) => new FieldCmd('gt', v),
    gte: (v) => new FieldCmd('gte', v),
    lt: (v) => new FieldCmd('lt', v),
    lte: (v) => new FieldCmd('lte', v),
    in: (v) => new FieldCmd('in', needArray('in', v)),
    nin: (v) => new FieldCmd('nin', needArray('nin', v)),
    exists: (v) => new FieldCmd('exists', Boolean(v)),
    size: (n) => new FieldCmd('size', needNumber('size', n, 'INVALID_QUERY')),
    all: (v) => new FieldCmd('all', needArray('all', v)),
    elemMatch: (q) => new FieldCmd('elemMatch', q),
    mod: (divisor: number, remainder: number) => {
      // CloudBase also accepts mod([divisor, remainder]).
      const pair = Array.isArray(divisor) ? (divisor as unknown[]) : [divisor, remainder]
      return new FieldCmd('mod', [needNumber('mod', pair[0], 'INVALID_QUERY'), needNumber('mod', pair[1], 'INVALID_QUERY')])
    },
    not: (c) => {
      if (!isQueryCmd(c)) throw new DbError('INVALID_QUERY', 'command.not expects a query command such as _.gt(1)')
      return new FieldCmd('not', c)
    },
    and: (...conds) => new LogicCmd('and', spread(conds)),
    or: (...conds) => new LogicCmd('or', spread(conds)),
    nor: (...conds) => new LogicCmd('nor', spread(conds)),

    set: (v) => new UpdateCmd('set', v),
    remove: () => new UpdateCmd('remove', ''),
    inc: (n) => new UpdateCmd('inc', needNumber('inc', n, 'INVALID_UPDATE')),
    mul: (n) => new UpdateCmd('mul', needNumber('mul', n, 'INVALID_UPDATE')),
    min: (v) => new UpdateCmd('min', v),
    max: (v) => new UpdateCmd('max', v),
    rename: (newName) => {
      if (typeof newName !== 'string' || newName === '') throw new DbError('INVALID_UPDATE', 'command.rename expects a field name')
      return new UpdateCmd('rename', newName)
    },
    push: ((...args: unknown[]) => {
      const first = args[0]
      if (args.length === 1 && eachList(first)) {
        // { each, position, sort, slice } → Mongo's $push modifiers.
        const o = first as Record<string, unknown>
        const mods: Record<string, unknown> = { $each: eachList(first) }
        for (const k of ['position', 'sort', 'slice']) {
          const v = o[k] ?? o[`$${k}`]
          if (v !== undefined) mods[`$${k}`] = v
        }
        return new UpdateCmd('push', mods)
      }
      return new UpdateCmd('push', { $each: spread(args) })
    }) as DbCommand['push'],
    pop: () => new UpdateCmd('pop', 1),
    shift: () => new UpdateCmd('shift', -1),
    unshift: ((...args: unknown[]) => new UpdateCmd('unshift', { $each: spread(args), $position: 0 })) as DbCommand['unshift'],
    addToSet: (v) => {
      const list = eachList(v)
      return new UpdateCmd('addToSet', list ? { $each: list } : v)
    },
    pull: (v) => new UpdateCmd('pull', v),
    pullAll: (v) => {
      if (!Array.isArray(v)) throw new DbError('INVALID_UPDATE', 'command.pullAll expects an array')
      return new UpdateCmd('pullAll', v)
    },
    aggregate: aggregateCommand
  }
}
