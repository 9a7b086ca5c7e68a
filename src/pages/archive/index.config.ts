export default definePageConfig({
  navigationBarTitleText: '个人档案'
})
