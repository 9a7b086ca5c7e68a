/**
 * The mini-program scans with Taro.scanCode (useCheckIn's scan), so the web
 * version's camera view and its QR reader stay out of the weapp package:
 * Taro resolves this file instead of CameraScan.tsx for the weapp build.
 */
export function cameraAvailable(): boolean {
  return false
}

export default function CameraScan(_props: { onToken: (text: string) => void }) {
  return null
}
