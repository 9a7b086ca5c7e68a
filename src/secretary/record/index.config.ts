export default definePageConfig({
  navigationBarTitleText: '补录活动'
})
