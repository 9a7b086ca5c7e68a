export default definePageConfig({
  navigationBarTitleText: '笔记情况'
})
