// miniprogram-ci ships types for its entry point only; the checks also reach
// the code analyser that checkCodeQuality starts, to close its file watcher.
declare module 'miniprogram-ci/dist/common/code-analyse' {
  export class Analyzer {
    analyse(): Promise<void>
    destroy(): void
  }
}
