// The smallest React app: the floor under the web app's initial download.
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'

createRoot(document.body).render(createElement('p', null, 'Hello'))
