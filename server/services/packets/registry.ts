// Every recipient profile, in registry order (the vocabulary's packetRecipients): the one list the
// planner, the builder and the routes read.
import { packetRecipients, type PacketRecipient } from '../../domain/vocabulary';
import type { RecipientProfile } from './profile';
import { amazon } from './recipients/amazon';
import { coupang } from './recipients/coupang';
import { courier } from './recipients/courier';
import { ebay } from './recipients/ebay';
import { paypal } from './recipients/paypal';
import { shopee } from './recipients/shopee';
import { shopify } from './recipients/shopify';
import { stripe } from './recipients/stripe';

const byRecipient: Record<PacketRecipient, RecipientProfile> = { stripe, shopify, paypal, ebay, amazon, coupang, shopee, courier };

export const profiles: readonly RecipientProfile[] = packetRecipients.map((recipient) => byRecipient[recipient]);

export const isRecipient = (value: string): value is PacketRecipient => (packetRecipients as readonly string[]).includes(value);

export const profileOf = (recipient: PacketRecipient): RecipientProfile => byRecipient[recipient];
