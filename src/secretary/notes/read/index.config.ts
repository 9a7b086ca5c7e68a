export default definePageConfig({
  navigationBarTitleText: '审阅笔记'
})
