// Stand-in for zod's `locales/index.js` in the app bundles (see config/index.ts).
// zod's `z` namespace keeps every locale alive in a split-chunk build; the app
// only ever uses English (zod's default) and Simplified Chinese.
export { default as en } from 'zod/v4/locales/en.js'
export { default as zhCN } from 'zod/v4/locales/zh-CN.js'
