// Starts GOV.UK Frontend's components (error summary focus, password reveal, navigation menu).
import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'

initAll()
