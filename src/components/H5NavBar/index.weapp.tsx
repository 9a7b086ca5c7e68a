/** WeChat draws the title bar itself: the weapp build gets no second one (and none of its code or styles). */
export default function H5NavBar(_: { title: string }) {
  return null
}
