export default definePageConfig({
  navigationBarTitleText: '安排活动'
})
