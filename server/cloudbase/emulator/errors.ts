import { DbError } from '../../../cloudfunctions/_shared/db'

/**
 * Errors as CloudBase's API answers them: HTTP 200 with a body
 * `{ code: 'DATABASE_…', message: '[…] …', requestId }`. The SDK turns the
 * body into a TcbError (`.code` = the string); wx-server-sdk then maps the
 * string through its TCB_ERR_CODE table into `{ errCode, errMsg }` and drops
 * `.code`. Strings missing from that table (the transaction ones) become
 * -501001 SYS_ERR, exactly as on CloudBase.
 *
 * What wx-server-sdk 4.0.2 makes of each code (its TCB_ERR_CODE table):
 *   DATABASE_COLLECTION_NOT_EXIST → -502005   DATABASE_REQUEST_FAILED → -502001
 *   INVALID_PARAM → -501007   SERVER_TIMEOUT → -501002   anything else → -501001
 */
export class CloudbaseError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
    this.name = 'CloudbaseError'
  }

  /** The message text is the one CloudBase is seen answering (wx-server-sdk issue reports). */
  static collectionNotExist(): CloudbaseError {
    return new CloudbaseError(
      'DATABASE_COLLECTION_NOT_EXIST',
      '[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, contact us.'
    )
  }

  static collectionExists(name: string): CloudbaseError {
    return new CloudbaseError('DATABASE_COLLECTION_ALREADY_EXIST', `[ResourceInUse] Table exist. (collection ${name})`)
  }

  static duplicateKey(env: string, coll: string, id: string): CloudbaseError {
    return new CloudbaseError(
      'DATABASE_REQUEST_FAILED',
      `[DuplicateWrite] E11000 duplicate key error collection: ${env}.${coll} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`
    )
  }

  /** The first write to a document another open transaction has locked, or one changed since this transaction started. */
  static transactionConflict(): CloudbaseError {
    return new CloudbaseError(
      'DATABASE_TRANSACTION_CONFLICT',
      '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem cannot be solved, contact us.'
    )
  }

  /** Unknown, finished, aborted or expired transaction (CloudBase: "must be committed or aborted within 30 s"). */
  static transactionFail(why: string): CloudbaseError {
    return new CloudbaseError(
      'DATABASE_TRANSACTION_FAIL',
      `[ResourceNotFound.TransactionNotExist] Transaction does not exist on the server: ${why}. A transaction must be committed or aborted within its lifetime.`
    )
  }

  static invalidParam(message: string): CloudbaseError {
    return new CloudbaseError('INVALID_PARAM', `[InvalidParameter] ${message}`)
  }

  static requestFailed(message: string): CloudbaseError {
    return new CloudbaseError('DATABASE_REQUEST_FAILED', `[FailedOperation] ${message}`)
  }

  static lockTimeout(ms: number): CloudbaseError {
    return new CloudbaseError('SERVER_TIMEOUT', `[LockTimeout] the document stayed locked by an open transaction for ${ms} ms`)
  }

  static invalidAction(action: string): CloudbaseError {
    return new CloudbaseError('INVALID_ACTION', `[InvalidAction] action ${JSON.stringify(action)} is not supported by this emulator`)
  }

  static system(message: string): CloudbaseError {
    return new CloudbaseError('SYS_ERR', `[InternalError] ${message}`)
  }
}

/** An embedded-database or unexpected error, as CloudBase would report it. */
export function toCloudbaseError(e: unknown): CloudbaseError {
  if (e instanceof CloudbaseError) return e
  if (e instanceof DbError) {
    // Bad operators, update type mismatches and refused field names are all
    // MongoDB errors, which CloudBase relays as DATABASE_REQUEST_FAILED.
    if (e.code === 'INVALID_QUERY' || e.code === 'INVALID_UPDATE') return CloudbaseError.requestFailed(e.message)
    return CloudbaseError.system(e.message)
  }
  return CloudbaseError.system(e instanceof Error ? e.message : String(e))
}
