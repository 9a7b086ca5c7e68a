export * from './quota'
export * from './pace'
