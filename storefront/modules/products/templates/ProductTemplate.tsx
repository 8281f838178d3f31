import type { ProductContent } from '@lib/data/content'
import { type ProductDetail, stockState } from '@lib/data/products'
import { lexicalToHtml } from '@lib/lexical-html'
import { formatMoney } from '@lib/money'
import HydrateLater from '@modules/layout/components/HydrateLater'
import Gallery from '../components/Gallery'
import VariantPicker, { type PickerVariant } from '../components/VariantPicker'

export default function ProductTemplate({
  product,
  content,
}: {
  product: ProductDetail
  content: ProductContent | null
}) {
  const captions = new Map((content?.gallery ?? []).map((g) => [g.medusaImageId, g.caption ?? '']))
  const images = (
    product.images.length ? product.images : product.thumbnail ? [{ id: 'thumb', url: product.thumbnail }] : []
  ).map((image) => ({ ...image, alt: captions.get(image.id) ?? '' }))
  const options = product.options.map((o) => ({ id: o.id, title: o.title, values: o.values.map((v) => v.value) }))
  const variants: PickerVariant[] = product.variants.map((variant) => {
    const stock = stockState(variant)
    const price = variant.calculated_price
    return {
      id: variant.id,
      options: Object.fromEntries(variant.options.map((o) => [o.option_id, o.value])),
      price: price ? formatMoney(price.calculated_amount, price.currency_code) : null,
      stockLabel: stock.label,
      inStock: stock.inStock,
      available: stock.available,
    }
  })
  const richDescription = lexicalToHtml(content?.description)

  // Everything here is already loaded: it hydrates after the shell, in slices (HydrateLater).
  return (
    <HydrateLater>
      <article className="product">
        <Gallery images={images} title={product.title} />
        <div>
          <h1 style={{ marginTop: 0 }}>{product.title}</h1>
          {product.subtitle && <p className="muted">{product.subtitle}</p>}
          <VariantPicker options={options} variants={variants} />
          <section aria-labelledby="description-heading" style={{ marginTop: '2rem' }}>
            <h2 id="description-heading">Description</h2>
            {richDescription ? (
              <div
                className="prose"
                data-testid="product-description"
                // biome-ignore lint/security/noDangerouslySetInnerHtml: lexicalToHtml escapes every text and filters link targets
                dangerouslySetInnerHTML={{ __html: richDescription }}
              />
            ) : (
              <p className="prose" data-testid="product-description">
                {product.description}
              </p>
            )}
            {product.material && <p className="muted">Material: {product.material}</p>}
          </section>
        </div>
      </article>
    </HydrateLater>
  )
}
