// Words for generated demo data: people, teams, products, and the topics tickets are about.
// A topic holds every line of its conversations, so a reply answers the question asked and a
// solved ticket ends with the fix. Slots in braces are filled once per ticket (the same order
// number throughout a conversation), so texts vary and search has rare words to find.

export const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Carla',
  'Dev',
  'Elif',
  'Femi',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Mateo',
  'Nadia',
  'Oskar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tomas',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Amara',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Emma',
  'Farah',
  'Gustav',
  'Hana',
  'Ivan',
  'Julia',
  'Kai',
  'Lucia',
  'Malik',
  'Noor',
]

export const LAST_NAMES = [
  'Adeyemi',
  'Bergstrom',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Silva',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zhang',
  'Novak',
  'Schmidt',
  'Lindqvist',
  'Mendes',
]

export const TEAMS = ['Billing', 'Technical support', 'Sales', 'Accounts', 'Shipping', 'Returns']

export const PRODUCTS = [
  'Aurora router',
  'Beacon app',
  'Cobalt printer',
  'Delta scanner',
  'Echo headset',
  'Flux monitor',
  'Granite laptop',
  'Helix keyboard',
  'Ion charger',
  'Juniper tablet',
  'Kestrel camera',
  'Lumen lamp',
  'Meridian watch',
  'Nimbus backup',
  'Orbit speaker',
  'Pulse tracker',
]

/** Tags any ticket may carry besides its topic's. */
export const EXTRA_TAGS = ['vip', 'escalated', 'onboarding'] as const

/** One kind of request and every line its conversation is made of. */
export interface Topic {
  /** The team such tickets go to (one of TEAMS). */
  team: string
  tags: readonly string[]
  subjects: readonly string[]
  /** The requester's first message is two of these, in order of the list. */
  description: readonly string[]
  /** The agent asks what they need to know. */
  question: readonly string[]
  /** The requester answers it. */
  answer: readonly string[]
  /** The agent's fix: what a solved ticket ends with. */
  fix: readonly string[]
  /** The requester confirms the fix worked. */
  thanks: readonly string[]
  /** The agent waits on someone else (a ticket on hold). */
  waiting: readonly string[]
  /** Agents among themselves. */
  notes: readonly string[]
}

const THANKS = [
  'Thank you, that solved it!',
  'Works again, thanks for the quick help.',
  'Perfect, you can close this.',
] as const

export const TOPICS: readonly Topic[] = [
  {
    team: 'Accounts',
    tags: ['login', 'password'],
    subjects: ['Cannot log in after the password reset', 'Password reset link says it expired'],
    description: [
      'Hi, I reset my password this morning and now the sign-in page says my password is wrong.',
      'I already restarted the device and cleared the cache, but nothing changed.',
      'My account email is the one on this ticket, in case you need to look it up.',
    ],
    question: [
      'Sorry about that. Did you open the reset link on the same browser you sign in with?',
      'Thanks for writing. Could you tell us roughly when you asked for the reset link?',
    ],
    answer: [
      'Yes, same browser. I asked for the link twice, maybe that is the problem?',
      'It was around nine this morning, and I clicked the newest of the two mails.',
    ],
    fix: [
      'Asking twice made the first link invalid. I have sent you a fresh link; it works for one hour.',
      'I have unlocked your account after too many attempts. Please reset once more with the new link.',
    ],
    thanks: THANKS,
    waiting: [
      'Our identity team is checking the sign-in logs for your account; I will write back.',
    ],
    notes: ['Account was locked by the rate limit after repeated attempts.'],
  },
  {
    team: 'Accounts',
    tags: ['mfa', 'security'],
    subjects: ['Two-factor codes are rejected', 'Lost my phone with the authenticator app'],
    description: [
      'Hello, the six-digit codes from my authenticator app are rejected every time.',
      'I tried both the mobile app and the desktop version with the same result.',
      'I do not have my recovery codes at hand.',
    ],
    question: [
      'Could you check that the clock on your phone is set automatically? Codes depend on it.',
      'To protect your account, please confirm the last four digits of the card on file.',
    ],
    answer: [
      'The clock was set by hand and was three minutes off. Fixed it, still the same.',
      'The card ends in {count}.',
    ],
    fix: [
      'I have reset your two-factor settings; you can enrol again from your account page.',
      'With the clock corrected, codes from a fresh enrolment work. I have reset the old one for you.',
    ],
    thanks: THANKS,
    waiting: ['The security team must approve a two-factor reset; that usually takes a day.'],
    notes: ['Identity confirmed by card digits before the MFA reset.'],
  },
  {
    team: 'Billing',
    tags: ['billing', 'invoice', 'vat'],
    subjects: [
      'Invoice {invoice} shows the wrong VAT rate',
      'Company VAT number missing on {invoice}',
    ],
    description: [
      'Good morning, I need help with invoice {invoice}.',
      'The VAT rate on it is the domestic one, but we are a company in another EU country.',
      'Our accountant needs a corrected invoice before the end of the month.',
    ],
    question: [
      'Thanks for pointing this out. Could you send us your company VAT number?',
      'Which billing address should the corrected invoice {invoice} show?',
    ],
    answer: [
      'Our VAT number is on the attached letterhead: EU{count}{count}.',
      'The address in our account settings is the right one.',
    ],
    fix: [
      'We have issued a corrected invoice {invoice} with reverse charge; it is in your account now.',
    ],
    thanks: THANKS,
    waiting: ['Our finance team has to approve corrections to issued invoices; I have asked them.'],
    notes: ['VAT number checked in VIES: valid.'],
  },
  {
    team: 'Billing',
    tags: ['billing', 'refund'],
    subjects: ['Charged twice for invoice {invoice}', 'Refund for order {order} has not arrived'],
    description: [
      'Hi team, my card statement shows two payments for {invoice}.',
      'The amount on the statement does not match the price on the website.',
      'Could you please check whether something is wrong on your side?',
    ],
    question: [
      'Sorry about this. Could you send the dates of both payments from your statement?',
      'Which card did you pay with, the one ending in the digits on your account?',
    ],
    answer: [
      'Both on the same day, a minute apart, for the same amount.',
      'Yes, the card on the account.',
    ],
    fix: [
      'The second payment was a duplicate: we refunded it; your bank shows it within five business days.',
      'Your refund for order {order} was approved and should arrive within five business days.',
    ],
    thanks: ['Great, the refund arrived. You can close this.', ...THANKS],
    waiting: ['The payment provider is investigating the duplicate charge; I will update you.'],
    notes: ['Checked the payment provider: the double charge for {invoice} is real.'],
  },
  {
    team: 'Technical support',
    tags: ['firmware', 'update', 'bug'],
    subjects: [
      '{product} stops responding after the latest update',
      '{product} firmware update failed with {code}',
    ],
    description: [
      'Hello, since yesterday my {product} has been acting up.',
      'The problem started right after the update to version {version}.',
      'I already restarted the device and cleared the cache, but nothing changed.',
    ],
    question: [
      'Thanks for reaching out. Could you tell us which version of the {product} you are using?',
      'Does the {product} show an error code on its screen or in the app?',
    ],
    answer: [
      'Here is the information you asked for: version {version}.',
      'The app shows error {code} after the progress bar reaches half way.',
    ],
    fix: [
      'Thanks for the details. Version {version} has a known fault; the fixed firmware is out now, please update once more.',
      'Please try resetting the {product} to factory settings and then update again; that clears the broken download.',
    ],
    thanks: THANKS,
    waiting: [
      'I have forwarded this to our engineers; error {code} points to a known issue we are fixing.',
    ],
    notes: ['Same root cause as the {code} incident last month, see the runbook.'],
  },
  {
    team: 'Technical support',
    tags: ['sync', 'export', 'bug'],
    subjects: ['Sync fails with error {code}', 'Error {code} when exporting reports'],
    description: [
      'Hi, I keep getting error {code} and I do not know what it means.',
      'It happens every time I open the settings page on my laptop.',
      'We have about {count} users affected in our office.',
    ],
    question: [
      'Could you tell us the time of one failed attempt, so we can find it in our logs?',
      'Does it also fail with a small export, say one week of data?',
    ],
    answer: [
      'The last one failed a few minutes ago, around ten past the hour.',
      'A small export works, a full year fails with {code}.',
    ],
    fix: [
      'Large exports timed out on our side; we raised the limit, and a full year exports fine now.',
      'A corrupt cache on the server caused {code} for your workspace; we rebuilt it, sync works again.',
    ],
    thanks: THANKS,
    waiting: ['Our engineers are deploying a fix for {code}; I will tell you when it is live.'],
    notes: ['Timeouts on the export worker for large workspaces, see the incident for {code}.'],
  },
  {
    team: 'Technical support',
    tags: ['mobile', 'hardware'],
    subjects: ['{product} will not pair with my phone', '{product} battery drains overnight'],
    description: [
      'Hello, my {product} will not connect to my phone any more.',
      'I tried both the mobile app and the desktop version with the same result.',
      'The battery is empty every morning although I switch it off.',
    ],
    question: [
      'Which phone and app version are you using?',
      'Is the {product} still paired with another device, such as an old phone?',
    ],
    answer: [
      'An Android phone, app version {version}.',
      'It was paired with my old tablet, which I no longer use.',
    ],
    fix: [
      'Please remove the {product} from the old device and pair again; it kept trying to reach it, which also drained the battery.',
      'App version {version} fixes pairing on Android; please update the app and pair once more.',
    ],
    thanks: THANKS,
    waiting: ['We have sent your diagnostics to the hardware team and wait for their reading.'],
    notes: ['Known pairing bug on Android, fixed in the next app release.'],
  },
  {
    team: 'Technical support',
    tags: ['api', 'integration'],
    subjects: ['API returns {code} for every request', 'Webhook calls stopped arriving'],
    description: [
      'Hi, since this morning every call to your API is answered with {code}.',
      'Nothing changed on our side, the same token worked yesterday.',
      'We have about {count} integrations waiting on this.',
    ],
    question: [
      'Could you send the request id from one failed answer (the X-Request-Id header)?',
      'Was the token created by a user whose role changed recently?',
    ],
    answer: [
      'Here is one: the header says req-{count}.',
      'Yes, the colleague who made it moved to another team last week.',
    ],
    fix: [
      'The token belonged to a user who lost access, so it stopped working. Please create a new token from a service account.',
    ],
    thanks: THANKS,
    waiting: ['I have asked the API team to look at the request ids you sent.'],
    notes: ["Token owner was demoted; tokens follow their owner's role."],
  },
  {
    team: 'Shipping',
    tags: ['shipping', 'delivery'],
    subjects: ['Delivery of order {order} is late', 'Tracking for order {order} has not changed'],
    description: [
      'Hi team, I ran into a problem with order {order}.',
      'The tracking page has not changed for four days now.',
      'I need the {product} for a trip next week.',
    ],
    question: [
      'Could you confirm the delivery address on order {order}?',
      'Is anyone at the address during the day to receive the parcel?',
    ],
    answer: ['The address is right, including the flat number.', 'Yes, there is a reception desk.'],
    fix: [
      'The parcel was stuck at the depot; the carrier delivers it tomorrow, and we refunded the shipping cost.',
      'We have sent a replacement for order {order}; you will get a tracking link by email.',
    ],
    thanks: THANKS,
    waiting: ['We have opened an investigation with the carrier; they answer within two days.'],
    notes: ['Carrier confirms the parcel is at the regional depot.'],
  },
  {
    team: 'Returns',
    tags: ['returns', 'damaged', 'warranty'],
    subjects: [
      'Package for order {order} arrived damaged',
      'Wrong item shipped for order {order}',
      'Question about the warranty of my {product}',
    ],
    description: [
      'Hello, the box for order {order} was crushed and the {product} inside is scratched.',
      'I attached a photo of the box and of the device.',
      'I would prefer a replacement over a refund.',
    ],
    question: [
      'Sorry about that. Is the {product} working, or is the damage only on the outside?',
      'Could you tell us the serial number on the back of the {product}?',
    ],
    answer: [
      'It works, but the screen has a deep scratch.',
      'The serial number is SN{count}{count}.',
    ],
    fix: [
      'We have sent a replacement for order {order} and a free return label for the damaged one.',
      'Your {product} is under warranty; the return label is in your email, and the repair takes about a week.',
    ],
    thanks: THANKS,
    waiting: ['The warehouse is checking the stock for a replacement; I will let you know.'],
    notes: ['Photos confirm transport damage, claim filed with the carrier.'],
  },
  {
    team: 'Sales',
    tags: ['upgrade', 'pricing'],
    subjects: ['How do I upgrade my plan?', 'Discount for {count} seats?'],
    description: [
      'Hi, we have grown and need more seats than our plan allows.',
      'We have about {count} users in our office.',
      'Is there a discount for paying yearly?',
    ],
    question: [
      'How many seats will you need over the next year?',
      'Would you pay monthly or yearly?',
    ],
    answer: ['About {count} seats, yearly.', 'Yearly, if that is cheaper.'],
    fix: [
      'I have moved you to the Business plan with yearly billing and a 15% discount; the new seats are available now.',
    ],
    thanks: ['Great, thank you for the discount!', ...THANKS],
    waiting: ['A discount this size needs approval from our sales lead; I have asked.'],
    notes: ['Approved 15% for a yearly Business plan.'],
  },
  {
    team: 'Accounts',
    tags: ['cancellation', 'account'],
    subjects: ['Please cancel my subscription', 'Close our company account'],
    description: [
      'Hello, we no longer use the service and would like to cancel.',
      'Please make sure we are not charged for the next month.',
      'Can we download our data before the account is closed?',
    ],
    question: [
      'Sorry to see you go. Should the cancellation take effect now or at the end of the billing period?',
    ],
    answer: ['At the end of the period, please.'],
    fix: [
      'Your subscription ends with the current billing period and will not renew; the data export stays available until then.',
    ],
    thanks: ['Thank you for the smooth cancellation.', ...THANKS],
    waiting: ['Billing must confirm there are no open invoices before we close the account.'],
    notes: ['No open invoices; cancellation scheduled for the period end.'],
  },
]
