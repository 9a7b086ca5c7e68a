// Mini-programs forbid eval/new Function; zod 4 uses them for fast object
// parsing unless jitless is set before the first schema is created. Every
// module in the project imports `z` from here, never from 'zod' directly.
import { z } from 'zod'

z.config({ jitless: true })

export { z }
