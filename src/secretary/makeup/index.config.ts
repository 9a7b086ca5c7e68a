export default definePageConfig({
  navigationBarTitleText: '安排补学'
})
