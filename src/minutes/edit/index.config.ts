export default definePageConfig({
  navigationBarTitleText: '填写会议记录'
})
