/** Check-in rules shared by the phone and the functions: pure, no I/O, no Node crypto. */
export * from './states'
export * from './qr-slot'
export * from './short-code'
export * from './geo'
export * from './judge'
export * from './attendance'
export * from './words'
