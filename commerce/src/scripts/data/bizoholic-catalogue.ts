/** Bizoholic's demo catalogue: a few marketing services and digital packages (no stock to track). */
import type { Catalogue } from './catalogue'

export const bizoholicCatalogue: Catalogue = {
  categories: [],
  collections: [],
  products: [
    {
      handle: 'seo-audit',
      title: 'SEO Audit',
      subtitle: 'Technical and content audit with a prioritised action plan',
      description:
        'We crawl your site, review content and backlinks, and deliver a report with the fixes that matter most, in order.',
      options: [{ title: 'Package', values: ['Essential', 'Advanced'] }],
      price: { eur: 490, usd: 530 },
      surcharges: { Advanced: { eur: 400, usd: 430 } },
      colour: '#3949ab',
      manageInventory: false,
    },
    {
      handle: 'social-media-content-pack',
      title: 'Social Media Content Pack',
      subtitle: 'Ready-to-post copy and visuals for a month',
      description: 'Posts written and designed for your brand, with a publishing calendar for Instagram and LinkedIn.',
      options: [{ title: 'Posts', values: ['12 posts', '30 posts'] }],
      price: { eur: 390, usd: 420 },
      surcharges: { '30 posts': { eur: 450, usd: 490 } },
      colour: '#00897b',
      manageInventory: false,
    },
    {
      handle: 'brand-strategy-workshop',
      title: 'Brand Strategy Workshop',
      subtitle: 'A one-day workshop with your team',
      description: 'Positioning, audience and messaging, worked out together and written up as a brand guide.',
      options: [{ title: 'Format', values: ['Remote', 'On-site'] }],
      price: { eur: 1490, usd: 1590 },
      surcharges: { 'On-site': { eur: 500, usd: 540 } },
      colour: '#6d4c41',
      manageInventory: false,
    },
  ],
}
