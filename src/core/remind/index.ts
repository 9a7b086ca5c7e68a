/** Reminder rules shared by the compose page and the remind function: pure, no I/O. */
export * from './audience'
export * from './limits'
export * from './templates'
export * from './schedule'
export * from './outcomes'
