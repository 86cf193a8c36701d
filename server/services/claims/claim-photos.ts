// Which of the photos couriers require are among a claim's evidence: the courier-claim checklist as
// data (kinds, present or missing, evidence numbers), for the claim letter and the dashboard alike.
//
// Captioning convention (so assessClaimPhotos can tell which photo shows what). A seller or packer adds
// a tag anywhere in a photo's or video's caption; tags are case-insensitive and work in any of the three
// languages. Without a tag, the plain keywords listed further below are recognised as well.
//
//   what couriers ask for          tags (first one is the one the dashboard should offer)
//   packing, inside                #inside   #contents   #내부  #내용물   #內部  #內容物
//   packing, outside / sealed      #sealed   #outside    #봉인  #외부     #封箱  #外部
//   label close-up                 #label    #waybill    #운송장 #송장     #託運單 #面單
//   the damage                     #damage   #broken     #파손  #손상     #損壞  #破損
//   all sides of the parcel        #sides    #all-sides  #모든면          #各面
//                                  or one side per photo: #top #bottom #front #back #left #right,
//                                  #윗면 #아랫면 #앞면 #뒷면 #왼쪽 #오른쪽, #頂面 #底面 #正面 #背面 #左側 #右側
//   the parcel on the scale        #scale    #weight     #저울  #무게     #秤    #重量
//
// Besides captions: an untagged video of the packing counts for "inside" and "sealed" (a continuous
// recording shows both), and photos attached to a return-inspection finding marked "issue" on the outer
// box, seal, inner packaging, cushioning or protective film count as damage photos. "All sides" is
// present with one #sides/#all-sides item or four photos tagged with different sides.
import type { CaptureView } from '../captures.service';
import type { MediaView } from '../media-view';
import { claimPhotoKinds, type ClaimKind, type ClaimPhotoKind } from '../../domain/vocabulary';

/** Tags per photo kind, the first of each being the one to offer in the dashboard. */
export const CLAIM_PHOTO_TAGS: Record<ClaimPhotoKind, string[]> = {
  packing_inside: ['#inside', '#contents', '#내부', '#내용물', '#內部', '#內容物'],
  packing_outside: ['#sealed', '#outside', '#봉인', '#외부', '#封箱', '#外部'],
  label_closeup: ['#label', '#waybill', '#운송장', '#송장', '#託運單', '#面單'],
  damage: ['#damage', '#broken', '#파손', '#손상', '#損壞', '#破損'],
  all_sides: ['#sides', '#all-sides', '#모든면', '#各面'],
  weight: ['#scale', '#weight', '#저울', '#무게', '#秤', '#重量'],
};

/** One side of the box per photo; four different ones make "all sides". */
export const SIDE_TAGS: Record<string, string[]> = {
  top: ['#top', '#윗면', '#頂面'],
  bottom: ['#bottom', '#아랫면', '#底面'],
  front: ['#front', '#앞면', '#正面'],
  back: ['#back', '#뒷면', '#背面'],
  left: ['#left', '#왼쪽', '#左側'],
  right: ['#right', '#오른쪽', '#右側'],
};

// Plain words in untagged captions. Deliberately few and specific: a wrong tick on a claim checklist is
// worse than a missing one the seller can fix by adding a tag.
const KEYWORDS: Record<ClaimPhotoKind, RegExp> = {
  packing_inside: /\binside\b|\bcontents\b|내부|내용물|內部|內容物|箱內/i,
  packing_outside: /\bsealed\b|\btaped\b|봉인|밀봉|封箱|封好/i,
  label_closeup: /\blabel\b|\bwaybill\b|운송장|송장|託運單|面單/i,
  damage: /\bdamage[sd]?\b|\bbroken\b|\bcrushed\b|\bdented\b|\btorn\b|파손|손상|찌그러|깨짐|損壞|破損|壓壞/i,
  all_sides: /\ball sides\b|모든 ?면|各面/i,
  weight: /\bscale\b|\bweigh(?:t|ing)?\b|저울|무게|秤|重量/i,
};

const DAMAGE_FINDINGS = new Set(['outer_box', 'seal', 'inner_packaging', 'cushioning', 'protective_film']);
const REQUIRED_SIDES = 4;

/** One picked evidence item, as much of it as the checklist reads. */
export interface ClaimEvidence {
  caption?: string;
  media: Pick<MediaView, 'id' | 'captureId' | 'type' | 'caption'>;
}

export interface ClaimPhotoCheck {
  kind: ClaimPhotoKind;
  /** Whether couriers ask for it with this kind of claim (damage photos make no sense for a lost parcel). */
  required: boolean;
  present: boolean;
  /** Evidence numbers (E1 = the first evidence item) that show it. */
  evidence: number[];
  /** How it was recognised when not by caption. */
  via?: 'video' | 'checklist';
  /** For all sides: how many different sides are tagged. */
  sides?: number;
}

/** Which of the photos couriers want are among the evidence, by caption tags, capture kinds and the inspection checklist. */
export function assessClaimPhotos(input: {
  evidence: readonly ClaimEvidence[];
  captures: readonly Pick<CaptureView, 'id' | 'kind' | 'checklist'>[];
  claimKind: ClaimKind;
}): ClaimPhotoCheck[] {
  const captureOf = (item: ClaimEvidence) => input.captures.find((capture) => capture.id === item.media.captureId);
  const pictures = input.evidence
    .map((item, index) => ({ item, number: index + 1, caption: `${item.caption ?? ''} ${item.media.caption ?? ''}` }))
    .filter(({ item }) => item.media.type === 'photo' || item.media.type === 'video');
  const tagsOf = (caption: string) => new Set((caption.match(/#[\p{L}\p{N}_-]+/gu) ?? []).map((tag) => tag.toLowerCase()));
  const shows = (caption: string, kind: ClaimPhotoKind) => {
    const tags = tagsOf(caption);
    return CLAIM_PHOTO_TAGS[kind].some((tag) => tags.has(tag)) || KEYWORDS[kind].test(caption);
  };

  const damageMediaIds = new Set(
    input.captures.flatMap((capture) =>
      (capture.checklist ?? [])
        .filter((entry) => entry.result === 'issue' && DAMAGE_FINDINGS.has(entry.item))
        .flatMap((entry) => entry.mediaIds ?? []),
    ),
  );

  return claimPhotoKinds.map((kind): ClaimPhotoCheck => {
    const required = input.claimKind === 'damage' || (kind !== 'damage' && kind !== 'all_sides');
    const byCaption = pictures.filter(({ caption }) => shows(caption, kind)).map(({ number }) => number);

    if (kind === 'all_sides') {
      const sides = new Set<string>();
      const numbers = new Set(byCaption);
      for (const { caption, number } of pictures) {
        const tags = tagsOf(caption);
        for (const [side, sideTags] of Object.entries(SIDE_TAGS)) {
          if (sideTags.some((tag) => tags.has(tag))) {
            sides.add(side);
            numbers.add(number);
          }
        }
      }
      const present = byCaption.length > 0 || sides.size >= REQUIRED_SIDES;
      return { kind, required, present, evidence: [...numbers].sort((a, b) => a - b), ...(byCaption.length === 0 ? { sides: sides.size } : {}) };
    }
    if (byCaption.length > 0) return { kind, required, present: true, evidence: byCaption };

    if (kind === 'packing_inside' || kind === 'packing_outside') {
      const videos = pictures.filter(({ item }) => item.media.type === 'video' && captureOf(item)?.kind === 'packing').map(({ number }) => number);
      if (videos.length > 0) return { kind, required, present: true, evidence: videos, via: 'video' };
    }
    if (kind === 'damage') {
      const found = pictures.filter(({ item }) => damageMediaIds.has(item.media.id)).map(({ number }) => number);
      if (found.length > 0) return { kind, required, present: true, evidence: found, via: 'checklist' };
    }
    return { kind, required, present: false, evidence: [] };
  });
}

