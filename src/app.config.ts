export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/checkin/index',
    'pages/notes/index',
    'pages/ranking/index',
    'pages/me/index',
    'pages/login/index',
    'pages/session/index',
    'pages/note-edit/index',
    'pages/note/index',
    'pages/points/index',
    'pages/inbox/index',
    'pages/archive/index',
    'pages/feedback/index'
  ],
  // Secretary tools load only when a secretary opens them, keeping the main package small.
  subPackages: [
    {
      root: 'secretary',
      pages: [
        'index/index',
        'schedule/index',
        'sessions/index',
        'record/index',
        'qr/index',
        'leaves/index',
        'makeup/index',
        'makeups/index',
        'attendance/index',
        'notes/index',
        'notes/member/index',
        'notes/read/index',
        'materials/index',
        'settings/index',
        'warnings/index',
        'ranking/index',
        'member-points/index',
        'report/index',
        'remind/index',
        'remind-log/index',
        'members/index',
        'member/index',
        'org/index',
        'import/index',
        'exports/index',
        'feedback/index'
      ]
    },
    // 会议纪实: read by members too (so not in secretary/), opened from a session; loads only then.
    {
      root: 'minutes',
      pages: ['view/index', 'edit/index']
    },
    // 民主评议党员: once a year, for members and the committee alike; loads only when opened.
    {
      root: 'review',
      pages: ['index/index', 'manage/index']
    }
  ],
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f6f6f6',
    navigationBarBackgroundColor: '#c8102e',
    navigationBarTitleText: '支部学习打卡',
    navigationBarTextStyle: 'white'
  },
  // Icons are drawn by scripts/make-tab-icons.ts (81×81 PNG, grey and red like the text).
  tabBar: {
    color: '#555555',
    selectedColor: '#c8102e',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/checkin/index', text: '签到', iconPath: 'assets/tab/checkin.png', selectedIconPath: 'assets/tab/checkin-active.png' },
      { pagePath: 'pages/notes/index', text: '笔记', iconPath: 'assets/tab/notes.png', selectedIconPath: 'assets/tab/notes-active.png' },
      { pagePath: 'pages/ranking/index', text: '排行', iconPath: 'assets/tab/ranking.png', selectedIconPath: 'assets/tab/ranking-active.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-active.png' }
    ]
  },
  permission: {
    'scope.userLocation': {
      desc: '签到时确认您在活动地点附近'
    }
  },
  // getLocation: the member's position at check-in; chooseLocation: the secretary picks the venue on a map.
  requiredPrivateInfos: ['getLocation', 'chooseLocation'],
  lazyCodeLoading: 'requiredComponents'
})
