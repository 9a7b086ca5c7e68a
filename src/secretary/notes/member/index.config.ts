export default definePageConfig({
  navigationBarTitleText: '党员的笔记'
})
