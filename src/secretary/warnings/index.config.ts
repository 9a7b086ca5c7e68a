export default definePageConfig({
  navigationBarTitleText: '双色预警'
})
