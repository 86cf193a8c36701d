// Every word a recipient packet prints (its narrative, checklist.txt, the listing's texts), in English:
// the reference the other languages follow (their files must have exactly these keys).
// Written for a reader at a marketplace, processor or courier who has never heard of Packtrail.
import type { PacketRecipient } from '../../domain/vocabulary';

const en = {
  recipientNames: {
    stripe: 'Stripe',
    shopify: 'Shopify Payments',
    paypal: 'PayPal',
    ebay: 'eBay',
    amazon: 'Amazon',
    coupang: 'Coupang',
    shopee: 'Shopee',
    courier: 'Courier claim',
  } satisfies Record<PacketRecipient, string>,
  courierWithCarrier: (carrier: string) => `Courier claim (${carrier})`,

  // ——— the narrative: one generator, facts and verdicts in, sentences out ———
  narrative: {
    title: (orderId: string) => `Evidence for order ${orderId}`,
    opening: (shop: string, orderId: string, reason: string) =>
      `${shop} is the seller of order ${orderId}. This is the seller's evidence for a dispute about it (${reason}).`,
    reference: (reference: string) => `The dispute's reference is ${reference}.`,
    amount: (amount: string) => `The amount in dispute is ${amount}.`,
    service:
      'The seller records every parcel it packs, and every return it opens, with its own evidence system (Packtrail): ' +
      'photos, video and the weight are taken at the packing table, and the server keeps each file unchanged with the time it received it ' +
      '(the server clock, not the phone) and a SHA-256 fingerprint entered in a signed, append-only log, so a later change to a file or its time would show.',
    items: (items: string) => `The order contains: ${items}.`,
    item: (name: string, quantity: number) => `${quantity} × ${name}`,
    itemsMore: (count: number) => `, and ${count} more`,
    packed: (at: string, where: string) => `The parcel was packed on ${at}${where}.`,
    packedAt: (station: string) => ` at ${station}`,
    recorded: (photos: number, videos: number, seconds: string) =>
      `The packing was recorded in ${photos} photo(s) and ${videos} video(s)${seconds}.`,
    videoLength: (length: string) => ` lasting ${length} in all`,
    weightOk: (measured: string, expected: string, tolerance: string) =>
      `On the scale at packing the parcel weighed ${measured}; the items with their packaging should weigh ${expected} (± ${tolerance}). The weight agrees with a complete order.`,
    weightLight: (measured: string, expected: string, tolerance: string, difference: string) =>
      `On the scale at packing the parcel weighed ${measured}; the items with their packaging should weigh ${expected} (± ${tolerance}). It was ${difference} light.`,
    weightHeavy: (measured: string, expected: string, tolerance: string, difference: string) =>
      `On the scale at packing the parcel weighed ${measured}; the items with their packaging should weigh ${expected} (± ${tolerance}). It was ${difference} heavy.`,
    weightOnly: (measured: string) => `On the scale at packing the parcel weighed ${measured}.`,
    weightUndetectable: (item: string, grams: string) =>
      `Note: one ${item} (${grams}) is within the scale's tolerance, so the weight alone cannot prove it was packed; the photos and video show the contents.`,
    shipped: (carrier: string, tracking: string) => `It was sent with ${carrier}, tracking number ${tracking}.`,
    shippedOn: (date: string) => `It left the seller on ${date}.`,
    delivered: (date: string) => `The carrier reports it delivered on ${date}.`,
    noTracking: 'No tracking number is recorded for this order.',
    handover: (at: string) => `The handover to the courier was recorded on ${at}.`,
    returnOpened: (at: string) => `The returned parcel was opened on camera on ${at}.`,
    returnWeightOk: (measured: string, shipped: string) => `It weighed ${measured} on arrival; it weighed ${shipped} when it was shipped. The weights agree.`,
    returnWeightOff: (measured: string, shipped: string, difference: string) =>
      `It weighed ${measured} on arrival; it weighed ${shipped} when it was shipped: ${difference} different.`,
    findings: (findings: string) => `Inspection findings: ${findings}.`,
    finding: (item: string, result: string) => `${item}: ${result}`,
    findingNote: (item: string, result: string, note: string) => `${item}: ${result} (${note})`,
    outcome: (outcome: string) => `Conclusion of the inspection: ${outcome}.`,
    damage: (text: string) => `What happened, as the seller describes it: ${text}`,
    evidence: (count: number) => `The seller's evidence is ${count} file(s), numbered E1 to E${count} in every document about this dispute; the files this recipient takes are in the packet under those numbers.`,
    derived:
      'Files under "derived/" are reduced copies (compressed photos, stills from a video, a shorter video) made only to fit upload limits; ' +
      'each names the SHA-256 fingerprint of the untouched original it comes from.',
    shareLink: (url: string, until: string) =>
      `The full originals, with a way to check each fingerprint without installing anything, can be viewed and downloaded at ${url} until ${until}.`,
    times: (zone: string) => `Times are the server's receive times, in ${zone}.`,
    timesOwnServer:
      'These times rest on the seller\'s own server, whose clock the seller controls: no independent time-stamping authority has attested them.',
    noEvidence: 'No evidence files are picked for this dispute yet; the facts above come from the seller\'s records of the order.',
  },

  // ——— what is missing, and why it matters ———
  missing: {
    NO_LABEL_PHOTO: 'No photo of the shipping label: without it the reader cannot tie the parcel in the photos to the tracking number. Tag a label close-up among the evidence.',
    NO_PACKING_VIDEO: 'No packing video: a continuous recording is the strongest proof of what went into the box.',
    NO_PHOTOS: 'No photos among the evidence: the reader has nothing to see.',
    NO_WEIGHT: 'No weight at packing: the weight is what shows that nothing was left out.',
    NO_TRACKING: 'No tracking number on the order: the reader cannot match the parcel to the shipment.',
    NO_CARRIER: 'No carrier on the order: the reader cannot tell who carried the parcel, and no claim deadline can be worked out.',
    NO_RETURN_VIDEO: 'No video of the return being opened: the recipient asks for one continuous unboxing video.',
    NO_PACKING_INSIDE_PHOTO: 'No photo of the inside of the packed box: couriers ask for the items with their cushioning.',
    NO_PACKING_OUTSIDE_PHOTO: 'No photo of the closed, sealed box: couriers ask for it to see the packing was sound.',
    NO_DAMAGE_PHOTO: 'No photo of the damage: a damage claim needs the box and contents as received.',
    NO_ALL_SIDES_PHOTO: 'No photos of the parcel from all sides: couriers ask for them with a damage claim.',
    NO_WEIGHT_PHOTO: 'No photo of the parcel on the scale: couriers ask to see the display.',
    NO_EVIDENCE_PDF: 'The evidence document could not be made within the limits.',
    PICTURES_LEFT_OUT: (count: number) =>
      `${count} picture(s) were left out of evidence.pdf to stay within its page and size limits; its last page says so, and the full originals are behind the link.`,
    VIDEO_NOT_ACCEPTED: (what: string) => `${what} takes no video files: the video is shown as a sheet of stills with their times instead; the full video is behind the link.`,
    AUDIO_NOT_ACCEPTED: (what: string) => `${what} takes no sound recordings (a call with the buyer or the courier): they are left out of the packet and are behind the link.`,
    VIDEO_TOO_LONG_TO_FIT: (seconds: string, limit: string) =>
      `The video lasts ${seconds}, longer than the ${limit} allowed, and the recipient wants one continuous, unedited recording: it was not cut. Send it through the link, or ask the recipient how to submit a longer recording.`,
    VIDEO_CANNOT_FIT_SIZE: (needed: string, limit: string) =>
      `The video cannot be made smaller than ${needed} without becoming unreadable; the limit is ${limit}. It is left out; the full video is behind the link.`,
    PHOTO_UNDECODABLE: (file: string, type: string) =>
      `${file} is a ${type} picture that this server cannot convert into a type the recipient opens, so it is left out; the other evidence is unaffected.`,
    VIDEO_NOT_READY:
      'Not ready: the video is still being processed, so its length is not known yet. Download the packet again once processing has finished (the download measures it).',
    VIDEO_TRIMMED: (kept: string, total: string) => `The video was shortened to its first ${kept} of ${total} to fit; the full video is behind the link.`,
    LEFT_OUT_FOR_LIMIT: (file: string, limit: string) => `${file} was left out to stay within the limit on ${limit}.`,
    COULD_NOT_FIT: (file: string) => `${file} could not be reduced to fit the limits and was left out.`,
    TYPE_NOT_ACCEPTED: (file: string, type: string, recipient: string) => `${file} is a ${type} file, a type ${recipient} does not take: it is left out.`,
    NO_PUBLIC_URL:
      'No link to the full originals: PUBLIC_URL is not set (or names this machine only), so a link would point at an address the recipient cannot open. Set PUBLIC_URL to the server\'s public address and download the packet again for a link.',
    NO_LINK: 'The recipient takes no links, so the full originals are not reachable from this packet; keep the evidence bundle for them.',
  },

  // ——— limits, each with the packet's figure ———
  limits: {
    FILE_TYPES: 'File types accepted',
    FILE_BYTES: 'Largest file',
    PHOTO_BYTES: 'Largest photo',
    VIDEO_BYTES: 'Video file size',
    TOTAL_BYTES: 'All files together',
    FILES: 'Number of files',
    PAGES: 'Pages in all PDF files',
    VIDEO_SECONDS: 'Video length',
    TEXT_CHARACTERS: 'Text fields together',
  },
  units: { bytes: 'bytes', pages: 'pages', seconds: 's', characters: 'characters', files: 'files' },

  // ——— deadlines ———
  deadline: {
    respondBy: 'Respond by the date the recipient gave, as entered on the dispute.',
    respondByBasis: (at: string) => `The respond-by date entered on the dispute: ${at}.`,
    noRespondBy: 'No respond-by date is entered on the dispute: enter the one the recipient gave, and it becomes a reminder.',
    amazon: 'A-to-z Guarantee claims: respond within 72 hours of Amazon\'s notice (US). SAFE-T claims: file within 30 days of the return\'s delivery to you (US).',
    amazonBasis: (at: string) => `Counted as 72 hours from when the dispute was recorded here (${at}), as Amazon's notice time is not recorded; enter the respond-by date Amazon gave to replace it.`,
    coupang: 'Coupang: within 168 business hours (7 business days, weekends not counted) of the goods arriving.',
    coupangBasis: (what: string, at: string) => `Counted from ${what}: ${at}.`,
    coupangReturnArrival: 'the return being opened here',
    coupangDelivery: 'the delivery date on the order',
    coupangNoArrival: 'No arrival time is known (no delivery date on the order, no return opened here): enter the respond-by date Coupang gave.',
    enteredInstead: (at: string) => `The respond-by date entered on the dispute is used: ${at}.`,
    courierBasis: (terms: string, from: string) => `${terms}; counted from ${from}.`,
    courierNoDate: (reason: string) => reason,
  },

  // ——— checklist.txt ———
  checklist: {
    title: (recipient: string) => `PACKET FOR ${recipient.toUpperCase()}`,
    order: (orderId: string, disputeId: string) => `Order ${orderId} · Dispute ${disputeId}`,
    generated: (at: string) => `Made ${at}.`,
    included: 'INCLUDED',
    missing: 'MISSING, AND WHY IT MATTERS',
    nothingMissing: 'Nothing the recipient asks for is missing.',
    limits: 'LIMITS (the recipient\'s limit, and this packet\'s figure)',
    within: 'within',
    about: (figure: string) => `about ${figure}`,
    over: 'OVER',
    deadline: 'DEADLINE',
    noDeadline: 'No date could be worked out.',
    howToUpload: 'HOW TO UPLOAD',
    shareLink: (url: string, until: string) => `Link to the full originals (expires ${until}): ${url}`,
    roles: { original: 'original, unchanged', derived: 'derived copy', document: 'document made for this packet', data: 'data' },
    derivedFrom: (sha256: string) => `made from the original with SHA-256 ${sha256}`,
    evidence: (n: number) => `E${n}`,
    fieldsNote: 'packet.json holds the text to paste into each of the recipient\'s fields, under the recipient\'s own field names.',
    fileIdNote:
      'Where packet.json names a file (for example "evidence.pdf") in a field that takes a file ID, upload that file first and put the ID you get back in its place.',
  },

  upload: {
    stripe:
      'Stripe Dashboard → Payments → Disputes → the dispute → Counter dispute. Paste each text field from packet.json "fields" into the field of the same name; ' +
      'upload evidence.pdf as "Other documentation" (uncategorized_file) and the label photo as "Shipping documentation". Or via the API: upload each file ' +
      '(purpose "dispute_evidence"), replace the path in packet.json with the file ID, and send "fields" as the dispute\'s evidence.',
    shopify:
      'Shopify admin → Orders → the order → Submit response. Upload the file named under SHIPPING_DOCUMENTATION_FILE as shipping documentation and the one under ' +
      'UNCATEGORIZED_FILE as additional evidence; paste the texts from packet.json into the matching boxes.',
    paypal:
      'PayPal Resolution Center → the case → Respond / Provide information. For each entry of "evidences" in packet.json, choose its evidence type, paste its notes, ' +
      'and upload the files it names.',
    ebay:
      'eBay Seller Hub → Orders → Return & disputes (or Payment disputes) → the case. Add the photos as evidence images and paste the text from packet.json "fields" into the message or note box.',
    amazon:
      'Seller Central → Performance → A-to-z Guarantee claims → the claim → Respond (or the SAFE-T claim form). Paste "reply" from packet.json; attach the files ' +
      '(through Buyer-Seller Messages where the claim asks for them).',
    coupang:
      'Coupang Wing → the order\'s return or claim → attach the photos and the video, and paste the text from packet.json "fields" into the description.',
    shopee:
      'Shopee Seller Centre → Return/Refund → the request → Dispute. Upload the unboxing video and photos and paste the text from packet.json "fields".',
    courier:
      'Send claim-letter.pdf with the files it lists to the courier\'s claims desk (their web form or email). The verification/ folder lets the claims agent check every original without installing anything.',
  } satisfies Record<PacketRecipient, string>,

  files: {
    evidencePdf: 'Evidence document: the case in words, the order\'s facts, and the photos and video stills',
    photo: (n: number, kind: string) => `E${n}: photo from the ${kind}`,
    photoReduced: (n: number, kind: string) => `E${n}: photo from the ${kind}, compressed to fit`,
    video: (n: number, kind: string) => `E${n}: video from the ${kind}`,
    videoReduced: (n: number, kind: string) => `E${n}: video from the ${kind}, re-encoded to fit`,
    stills: (n: number, kind: string) => `E${n}: stills from the video of the ${kind}, with their times`,
    document: (n: number, kind: string) => `E${n}: document from the ${kind}`,
    claimLetter: 'Courier claim letter: shipment facts, weight at packing, filing deadline, photo checklist, enclosures',
    verification: 'Offline verification kit: proof that each original existed, byte for byte, no later than the signed checkpoint',
    manifest: 'Every file of the packet with its size and SHA-256',
    readme: 'What each part of the packet is and how to check it',
    facts: 'Facts of the order',
    factRows: {
      order: 'Order',
      reason: 'Dispute',
      carrier: 'Carrier',
      tracking: 'Tracking number',
      shipped: 'Shipped',
      delivered: 'Delivered',
      weight: 'Weight at packing',
      expected: 'Expected weight',
    },
  },
};

export type PacketStrings = typeof en;
export default en;
