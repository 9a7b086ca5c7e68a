import path from 'path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

// Written out in full on purpose: Taro replaces `process.env.TARO_ENV` textually,
// and it is already set when this file loads, so weapp and H5 never share a folder.
const outputRoot = process.env.TARO_ENV === 'h5' ? 'dist/h5' : 'dist/weapp'

// The slice of webpack-chain used here (webpack-chain is Taro's, not a dependency of ours).
interface Chain {
  plugin(name: string): { use(plugin: unknown, args?: unknown[]): unknown }
  performance: { hints(value: false | 'warning' | 'error'): unknown }
  optimization: { merge(value: Record<string, unknown>): unknown }
}
// The mini build's minimizer, as webpack-chain exposes it there.
interface MiniChain {
  optimization: {
    minimizer(name: string): { tap(f: (args: Array<Record<string, unknown>>) => unknown[]): unknown }
  }
}
type Webpack = typeof import('webpack')

/**
 * zod's `z` namespace is used as a whole (every `z.string()` call passes it as
 * `this`), and Taro splits zod (vendors) from src/core (common), so webpack
 * cannot scope-hoist it away: all 63 locales (about 260 KB minified) land in the main package.
 * Swap zod's locale index for one that keeps only en and zh-CN.
 */
function slimZod(chain: Chain, webpack: Webpack): void {
  chain
    .plugin('zod-locales')
    .use(webpack.NormalModuleReplacementPlugin, [
      /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/,
      path.resolve(__dirname, 'zod-locales.js')
    ])
}

/**
 * WeChat's upload refuses file types it does not know, and terser's default
 * writes each bundle's licence comments to a `*.LICENSE.txt` beside it. Keep
 * them inside the bundles instead ('some': `@license`, `@preserve`, `/*!`
 * comments, about 1.5 KB), so the notices still travel with the code they cover.
 */
function licencesInline(chain: MiniChain): void {
  // Only production builds minify; a watch build has no terser to configure.
  if (process.env.NODE_ENV !== 'production') return
  chain.optimization.minimizer('terserPlugin').tap(([options]) => {
    const terserOptions = options.terserOptions as { output?: Record<string, unknown> }
    // Taro's mini preset drops every comment (output.comments: false); keep the licence ones.
    const output = { ...terserOptions.output, comments: 'some' }
    return [{ ...options, extractComments: false, terserOptions: { ...terserOptions, output } }]
  })
}

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'zhibu-xuexi-daka',
    date: '2026-11-22',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2
    },
    sourceRoot: 'src',
    outputRoot,
    plugins: [],
    // Public build facts only; never put a secret here (it ends up in the bundle).
    // The CloudBase env id is public (every mini-program package carries it).
    defineConstants: {
      'process.env.CLOUD_ENV': JSON.stringify(process.env.CLOUD_ENV || '')
    },
    copy: {
      patterns: [],
      options: {}
    },
    framework: 'react',
    compiler: {
      type: 'webpack5',
      // esbuild prebundling only speeds up watch builds and has its own bugs; keep one path.
      prebundle: { enable: false }
    },
    cache: {
      enable: false
    },
    mini: {
      // Taro's default, spelled out because the budget rests on it: modules only
      // secretary pages use go to secretary/sub-vendors.js, not the main package.
      optimizeMainPackage: { enable: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false }
      },
      webpackChain(chain, webpack) {
        slimZod(chain, webpack)
        licencesInline(chain)
        // WeChat's own 2 MB package limit and our 1 MB budget (bench:build)
        // govern size, not webpack's generic 244 KiB hint.
        chain.performance.hints(false)
      }
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: {
        // Hash routes work from any static server, deep links included.
        mode: 'hash'
      },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js'
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css'
      },
      postcss: {
        // Root font grows with the screen up to 24px: a phone sees the design
        // size, a desktop (admins) is not blown up to double size.
        pxtransform: { enable: true, config: { maxRootSize: 24 } },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false }
      },
      webpackChain(chain, webpack) {
        slimZod(chain, webpack)
        // Taro splits only initial chunks on H5, so every lazily loaded page
        // carried its own copy of the Taro components it uses (~100 KB each);
        // let webpack share modules between page chunks too.
        if (process.env.NODE_ENV === 'production') {
          chain.optimization.merge({ splitChunks: { chunks: 'all' } })
        }
        // The H5 bundle carries the Taro runtime; size is watched by the
        // build-size benchmark instead of webpack's generic 244 KB warning.
        chain.performance.hints(false)
      }
    }
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
