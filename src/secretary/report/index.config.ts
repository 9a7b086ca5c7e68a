export default definePageConfig({
  navigationBarTitleText: '季度通报'
})
