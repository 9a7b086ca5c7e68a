import { Aggregator } from 'mingo'
import { DbError, type Aggregate, type DocData } from '../../cloudfunctions/_shared/db'
import { viaMingo, type Engine } from './ops'
import { planPrefilter } from './pushdown'
import type { CollectionStore } from './store'
import { translateWhere, type MongoQuery } from './translate'
import { isPlainObject, toQueryValue } from './values'

type Stage = Record<string, unknown>

/**
 * `collection.aggregate()...end()`, run by mingo's Aggregator over the
 * collection's rows. A leading `match()` is also pushed down to SQL the way
 * `where()` is, so only candidate rows are read. As in CloudBase, `end()`
 * returns at most 20 results unless the pipeline has a `limit()` stage.
 */
export class AggregateImpl implements Aggregate {
  constructor(private readonly engine: Engine, private readonly coll: string, private readonly stages: Stage[] = []) {}

  private pipe(stage: Stage): Aggregate {
    return new AggregateImpl(this.engine, this.coll, [...this.stages, stage])
  }

  match(cond: DocData): Aggregate {
    return this.pipe({ $match: translateWhere(cond) })
  }

  group(spec: DocData): Aggregate {
    if (!isPlainObject(spec) || !('_id' in spec)) throw new DbError('INVALID_QUERY', 'group() needs an _id expression (null for a single group)')
    return this.pipe({ $group: toQueryValue(spec) })
  }

  sort(spec: Record<string, 1 | -1>): Aggregate {
    if (!isPlainObject(spec) || Object.keys(spec).length === 0 || Object.values(spec).some((v) => v !== 1 && v !== -1)) {
      throw new DbError('INVALID_QUERY', 'sort() expects { field: 1 | -1, ... }')
    }
    return this.pipe({ $sort: spec })
  }

  project(spec: DocData): Aggregate {
    return this.pipe({ $project: toQueryValue(spec) })
  }

  addFields(spec: DocData): Aggregate {
    return this.pipe({ $addFields: toQueryValue(spec) })
  }

  unwind(spec: string | DocData): Aggregate {
    return this.pipe({ $unwind: typeof spec === 'string' ? spec : toQueryValue(spec) })
  }

  count(field: string): Aggregate {
    if (typeof field !== 'string' || field === '' || field.startsWith('$') || field.includes('.')) {
      throw new DbError('INVALID_QUERY', 'count() needs an output field name')
    }
    return this.pipe({ $count: field })
  }

  skip(n: number): Aggregate {
    return this.pipe({ $skip: positiveInt('skip', n, true) })
  }

  limit(n: number): Aggregate {
    return this.pipe({ $limit: positiveInt('limit', n, false) })
  }

  end(): Promise<{ list: DocData[] }> {
    const { engine, coll, stages } = this
    return engine.exec(() => ({ list: runPipeline(engine.store(coll), stages, engine.limits.defaultAggregate) }))
  }
}

function positiveInt(name: string, n: unknown, zeroOk: boolean): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < (zeroOk ? 0 : 1)) {
    throw new DbError('INVALID_QUERY', `${name}() expects a ${zeroOk ? 'non-negative' : 'positive'} integer`)
  }
  return n
}

export function runPipeline(store: CollectionStore, stages: Stage[], defaultLimit: number): DocData[] {
  const pipeline = stages.slice()
  if (!pipeline.some((s) => '$limit' in s)) pipeline.push({ $limit: defaultLimit })
  const first = pipeline[0]
  const lead = first && '$match' in first ? (first.$match as MongoQuery) : null
  // The $match stays in the pipeline: the prefilter is only a superset.
  const rows = store.scan(planPrefilter(lead, store.canPush))
  try {
    return viaMingo(() => new Aggregator(pipeline).run(rows)) as DocData[]
  } finally {
    // mingo may stop pulling early ($limit); close the SQLite cursor regardless.
    rows.return(undefined)
  }
}
