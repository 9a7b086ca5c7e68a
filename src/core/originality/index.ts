export * from './engine'
export * from './lookup'
export * from './segments'
