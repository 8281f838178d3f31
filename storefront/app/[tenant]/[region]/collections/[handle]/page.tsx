import GroupListing, { type GroupRouteProps, groupMetadata } from '@modules/products/routes/group-listing'

export const dynamic = 'force-dynamic'

export const generateMetadata = (props: GroupRouteProps) => groupMetadata('collections', props)

export default function CollectionsPage(props: GroupRouteProps) {
  return <GroupListing kind="collections" {...props} />
}
