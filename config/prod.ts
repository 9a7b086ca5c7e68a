import type { UserConfigExport } from '@tarojs/cli'

// Production: minify JS and CSS on both platforms (Taro's terser + csso).
export default {
  terser: { enable: true },
  csso: { enable: true },
  mini: {
    enableSourceMap: false
  },
  h5: {
    enableSourceMap: false
  }
} satisfies UserConfigExport<'webpack5'>
