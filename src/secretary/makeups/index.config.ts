export default definePageConfig({
  navigationBarTitleText: '补学审阅'
})
