-- Which of the photos couriers ask for a photo shows (the claimPhotoKinds codes of
-- server/domain/vocabulary.ts: packing_inside, packing_outside, label_closeup, damage, all_sides,
-- weight), as a JSON array. The packer sets them with one tap when taking the photo, anyone who may
-- change the capture can change them later; a courier claim's photo checklist counts only these,
-- never a guess from a caption or from a video being there. Codes are checked by the service, so a
-- code added to the vocabulary needs no migration.
ALTER TABLE media ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array');
