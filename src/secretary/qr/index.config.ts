export default definePageConfig({
  navigationBarTitleText: '签到大屏',
  // A tablet or a phone on a stand may be turned sideways at the venue.
  pageOrientation: 'auto'
})
