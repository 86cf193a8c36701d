// Column presets for the order exports sellers meet most, and what each mapped column means.
//
// The header names below are taken from the marketplaces' public descriptions of their export files
// (seller-centre help pages and published column lists), as far as we know them; they have not been
// checked against a real export of each channel and should be, with a file a seller downloads today.
// Amazon's were checked against Seller Central's field list for the Order Report, which says item-price
// is the line's amount ("aggregates of the quantity"). Shopify's standard orders export has no tracking
// column: the preset names one for exports from apps that add it, and is left empty otherwise.
// A shop whose export differs maps the columns once (PUT /orders/import-mappings/:channel) and the
// mapping is remembered.

export const importChannels = ['naver_smartstore', 'coupang_wing', 'shopify', 'ebay', 'amazon', 'custom'] as const;
export type ImportChannel = (typeof importChannels)[number];

export const columnFields = [
  'orderId', 'trackingNumber', 'carrier', 'buyerName', 'buyerRef', 'deliveryNote',
  'itemSku', 'itemName', 'itemQuantity', 'itemValue', 'declaredValue', 'currency',
] as const;
export type ColumnField = (typeof columnFields)[number];

/** Which header of the file holds each field; orderId is required, the rest optional. */
export type ColumnMapping = { orderId: string } & Partial<Record<Exclude<ColumnField, 'orderId'>, string>>;

export interface ImportPreset {
  channel: ImportChannel;
  name: string;
  columns: ColumnMapping;
  /** The currency of amounts when the file has no currency column (Korean seller centres export won). */
  currency?: string;
  /** The item value column is the line's amount, not one unit's (Amazon: "aggregates of the quantity"). */
  itemValueIsLineTotal?: boolean;
}

export const importPresets: ImportPreset[] = [
  {
    channel: 'naver_smartstore',
    name: 'Naver Smart Store',
    // 주문번호 groups the 상품주문번호 rows (one per item) of one order.
    columns: {
      orderId: '주문번호', trackingNumber: '송장번호', carrier: '택배사', buyerName: '수취인명', buyerRef: '구매자ID',
      deliveryNote: '배송메세지', itemSku: '판매자 상품코드', itemName: '상품명', itemQuantity: '수량', itemValue: '상품가격',
      declaredValue: '최종 상품별 총 주문금액',
    },
    currency: 'KRW',
  },
  {
    channel: 'coupang_wing',
    name: 'Coupang Wing',
    columns: {
      orderId: '주문번호', trackingNumber: '운송장번호', carrier: '택배사', buyerName: '수취인이름', buyerRef: '구매자',
      deliveryNote: '배송메세지', itemSku: '업체상품코드', itemName: '등록상품명', itemQuantity: '구매수(수량)', itemValue: '판매가',
      declaredValue: '결제액',
    },
    currency: 'KRW',
  },
  {
    channel: 'shopify',
    name: 'Shopify',
    columns: {
      orderId: 'Name', trackingNumber: 'Tracking Number', carrier: 'Shipping Method', buyerName: 'Shipping Name', buyerRef: 'Email',
      deliveryNote: 'Notes', itemSku: 'Lineitem sku', itemName: 'Lineitem name', itemQuantity: 'Lineitem quantity',
      itemValue: 'Lineitem price', declaredValue: 'Total', currency: 'Currency',
    },
  },
  {
    channel: 'ebay',
    name: 'eBay',
    columns: {
      orderId: 'Order Number', trackingNumber: 'Tracking Number', carrier: 'Shipping Service', buyerName: 'Buyer Name',
      buyerRef: 'Buyer Username', deliveryNote: 'Buyer Note', itemSku: 'Custom Label', itemName: 'Item Title', itemQuantity: 'Quantity',
      itemValue: 'Sold For', declaredValue: 'Total Price',
    },
  },
  {
    channel: 'amazon',
    name: 'Amazon',
    columns: {
      orderId: 'order-id', trackingNumber: 'tracking-number', carrier: 'ship-service-level', buyerName: 'recipient-name',
      buyerRef: 'buyer-email', itemSku: 'sku', itemName: 'product-name', itemQuantity: 'quantity-purchased', itemValue: 'item-price',
      currency: 'currency',
    },
    itemValueIsLineTotal: true,
  },
  {
    channel: 'custom',
    name: 'Custom',
    columns: {
      orderId: 'order_id', trackingNumber: 'tracking_number', carrier: 'carrier', buyerName: 'buyer_name', buyerRef: 'buyer_ref',
      deliveryNote: 'delivery_note', itemSku: 'sku', itemName: 'item_name', itemQuantity: 'quantity', itemValue: 'unit_value',
      declaredValue: 'declared_value', currency: 'currency',
    },
  },
];

export const presetOf = (channel: ImportChannel): ImportPreset => importPresets.find((preset) => preset.channel === channel)!;
