import GroupListing, { type GroupRouteProps, groupMetadata } from '@modules/products/routes/group-listing'

export const dynamic = 'force-dynamic'

export const generateMetadata = (props: GroupRouteProps) => groupMetadata('categories', props)

export default function CategoriesPage(props: GroupRouteProps) {
  return <GroupListing kind="categories" {...props} />
}
