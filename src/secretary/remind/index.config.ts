export default definePageConfig({
  navigationBarTitleText: '发提醒'
})
