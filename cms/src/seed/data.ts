/**
 * Demo content: the two businesses BizOSaaS grew out of — Bizoholic, a marketing agency, and
 * CoreLDove, an e-commerce brand — with pages, posts, categories, images and one user per role.
 */
import { DEMO_SUPER_ADMIN } from '@bizosaas/contracts/demo'
import type { TenantRole } from '../access/roles.ts'

// The demo logins are shared with `pnpm dev`, the Medusa seed and tests: defined once in @bizosaas/contracts.
export { DEMO_PASSWORD } from '@bizosaas/contracts/demo'

export interface SeedImage {
  key: string
  alt: string
  /** Two colours of a diagonal gradient, and a label drawn on it. */
  colours: [string, string]
  label: string
}

export interface SeedPost {
  title: string
  slug: string
  excerpt: string
  markdown: string
  category: string
  image: string
  daysAgo: number
  status: 'published' | 'draft'
}

export interface SeedPage {
  title: string
  slug: string
  heading: string
  subheading: string
  image: string
  markdown: string
  cta: { heading: string; text: string; label: string; url: string }
  /** A featured-products block after the text (shops only). */
  featured?: { heading: string; source: 'newest' | 'collection' | 'category'; handle?: string; limit: number }
  seo: { metaTitle: string; metaDescription: string }
}

export interface SeedTenant {
  name: string
  slug: string
  domains: string[]
  brand: { primaryColor: string; accentColor: string; logo: string }
  images: SeedImage[]
  categories: { title: string; slug: string }[]
  pages: SeedPage[]
  posts: SeedPost[]
  users: { email: string; name: string; roles: TenantRole[] }[]
}

export const superAdmin = { ...DEMO_SUPER_ADMIN }

export const tenants: SeedTenant[] = [
  {
    name: 'Bizoholic',
    slug: 'bizoholic',
    domains: ['bizoholic.localhost'],
    brand: { primaryColor: '#4338ca', accentColor: '#f97316', logo: 'logo' },
    images: [
      { key: 'logo', alt: 'Bizoholic logo', colours: ['#4338ca', '#6366f1'], label: 'Bizoholic' },
      {
        key: 'hero',
        alt: 'A marketing team planning a campaign on a whiteboard',
        colours: ['#312e81', '#f97316'],
        label: 'Grow with Bizoholic',
      },
      {
        key: 'seo',
        alt: 'Search ranking chart rising over twelve months',
        colours: ['#1e3a8a', '#22d3ee'],
        label: 'SEO',
      },
      {
        key: 'social',
        alt: 'Phone showing a social media content calendar',
        colours: ['#7c3aed', '#f472b6'],
        label: 'Social',
      },
    ],
    categories: [
      { title: 'SEO', slug: 'seo' },
      { title: 'Social media', slug: 'social-media' },
      { title: 'Automation', slug: 'automation' },
    ],
    pages: [
      {
        title: 'Home',
        slug: 'home',
        heading: 'Marketing that runs while you sleep',
        subheading: 'Bizoholic plans, writes and measures your campaigns with AI agents and a human team.',
        image: 'hero',
        markdown:
          '## What we do\n\nWe run **SEO**, **content** and **social media** for growing businesses. Every piece of work an agent drafts is reviewed by a person before it goes live.\n\n- Search audits every week\n- A content calendar you can approve from your phone\n- Reports that show revenue, not vanity metrics',
        cta: {
          heading: 'Ready to grow?',
          text: 'Book a free 30-minute marketing review.',
          label: 'Book a review',
          url: '/contact',
        },
        seo: {
          metaTitle: 'Bizoholic — AI-assisted marketing agency',
          metaDescription:
            'SEO, content and social media for growing businesses, drafted by AI agents and approved by people.',
        },
      },
      {
        title: 'About',
        slug: 'about',
        heading: 'A small agency with a big toolbox',
        subheading: 'Founded by marketers who got tired of copy-pasting between ten tools.',
        image: 'social',
        markdown:
          'We started Bizoholic to give small businesses the marketing muscle of a large team. Our agents do the repetitive work; our people do the thinking.',
        cta: { heading: 'Work with us', text: 'Tell us about your business.', label: 'Contact us', url: '/contact' },
        seo: {
          metaTitle: 'About Bizoholic',
          metaDescription: 'Who we are and how Bizoholic combines AI agents with experienced marketers.',
        },
      },
    ],
    posts: [
      {
        title: 'Five SEO fixes you can make this afternoon',
        slug: 'five-seo-fixes',
        excerpt: 'Small changes to titles, descriptions and internal links that search engines notice quickly.',
        markdown:
          '## 1. Write a real meta description\n\nKeep it under 155 characters and say what the page gives the reader.\n\n## 2. One page, one topic\n\nPages that try to rank for everything rank for nothing.\n\n## 3. Link your best pages from your blog\n\nInternal links tell search engines what matters.',
        category: 'seo',
        image: 'seo',
        daysAgo: 12,
        status: 'published',
      },
      {
        title: 'A content calendar you will actually keep',
        slug: 'content-calendar',
        excerpt: 'How to plan a month of social posts in an hour, and let an agent draft them.',
        markdown:
          'Plan themes per week, not posts per day. Then let the **social agent** draft the posts and approve them in one sitting.',
        category: 'social-media',
        image: 'social',
        daysAgo: 5,
        status: 'published',
      },
      {
        title: 'What to automate first in your marketing',
        slug: 'automate-first',
        excerpt: 'A draft on choosing the first workflow to hand to an agent.',
        markdown: 'Start with the task you do every week and dread: reporting.',
        category: 'automation',
        image: 'hero',
        daysAgo: 0,
        status: 'draft',
      },
    ],
    users: [
      { email: 'owner@bizoholic.dev', name: 'Bizoholic Owner', roles: ['tenant-admin'] },
      { email: 'manager@bizoholic.dev', name: 'Bizoholic Manager', roles: ['manager'] },
      { email: 'client@bizoholic.dev', name: 'Bizoholic Client', roles: ['client'] },
    ],
  },
  {
    name: 'CoreLDove',
    slug: 'coreldove',
    domains: ['coreldove.localhost'],
    brand: { primaryColor: '#0f766e', accentColor: '#eab308', logo: 'logo' },
    images: [
      { key: 'logo', alt: 'CoreLDove logo', colours: ['#0f766e', '#14b8a6'], label: 'CoreLDove' },
      {
        key: 'hero',
        alt: 'Handmade ceramic mugs on a wooden shelf',
        colours: ['#134e4a', '#eab308'],
        label: 'New season',
      },
      {
        key: 'care',
        alt: 'Hands washing a ceramic bowl in warm water',
        colours: ['#0e7490', '#a7f3d0'],
        label: 'Care guide',
      },
      {
        key: 'studio',
        alt: 'Potter shaping clay on a wheel in the studio',
        colours: ['#78350f', '#fde68a'],
        label: 'Studio',
      },
    ],
    categories: [
      { title: 'Guides', slug: 'guides' },
      { title: 'Behind the scenes', slug: 'behind-the-scenes' },
    ],
    pages: [
      {
        title: 'Home',
        slug: 'home',
        heading: 'Everyday ceramics, made to last',
        subheading: 'Small-batch mugs, bowls and plates, shipped across Europe and North America.',
        image: 'hero',
        markdown:
          'Every CoreLDove piece is **thrown by hand**, glazed with lead-free glazes and fired twice. Dishwasher safe, microwave safe, and made to be used every day.',
        cta: {
          heading: 'Shop the new season',
          text: 'Free shipping on orders over €60.',
          label: 'Shop now',
          url: '/store',
        },
        featured: {
          heading: 'From the Nordic Light collection',
          source: 'collection',
          handle: 'nordic-light',
          limit: 4,
        },
        seo: {
          metaTitle: 'CoreLDove — handmade everyday ceramics',
          metaDescription:
            'Small-batch handmade mugs, bowls and plates. Lead-free glazes, dishwasher safe, shipped across Europe and North America.',
        },
      },
      {
        title: 'Shipping & returns',
        slug: 'shipping-returns',
        heading: 'Shipping and returns',
        subheading: 'Packed in recycled paper, insured until it reaches you.',
        image: 'studio',
        markdown:
          '## Shipping\n\nOrders ship within 3 working days.\n\n## Returns\n\nReturn anything unused within 30 days for a full refund.',
        cta: { heading: 'Questions?', text: 'We answer within one working day.', label: 'Contact us', url: '/contact' },
        seo: {
          metaTitle: 'Shipping & returns — CoreLDove',
          metaDescription: 'Delivery times, costs and our 30-day return policy.',
        },
      },
    ],
    posts: [
      {
        title: 'How to care for handmade ceramics',
        slug: 'ceramics-care',
        excerpt: 'Keep your mugs and bowls looking new for years with a few simple habits.',
        markdown:
          '## Washing\n\nAll our pieces are dishwasher safe, but hand washing keeps the glaze bright.\n\n## Heat\n\nAvoid sudden temperature changes: no boiling water into a cold mug straight from the fridge.',
        category: 'guides',
        image: 'care',
        daysAgo: 20,
        status: 'published',
      },
      {
        title: 'A day in the studio',
        slug: 'day-in-the-studio',
        excerpt: 'From a lump of clay to a mug on your table: how a CoreLDove piece is made.',
        markdown: 'Each morning starts with **wedging clay**. By the afternoon, forty mugs are drying on the shelves.',
        category: 'behind-the-scenes',
        image: 'studio',
        daysAgo: 3,
        status: 'published',
      },
    ],
    users: [
      { email: 'owner@coreldove.dev', name: 'CoreLDove Owner', roles: ['tenant-admin'] },
      { email: 'manager@coreldove.dev', name: 'CoreLDove Manager', roles: ['manager'] },
      { email: 'client@coreldove.dev', name: 'CoreLDove Client', roles: ['client'] },
    ],
  },
]
