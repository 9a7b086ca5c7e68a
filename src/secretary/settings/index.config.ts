export default definePageConfig({
  navigationBarTitleText: '规则与定额'
})
