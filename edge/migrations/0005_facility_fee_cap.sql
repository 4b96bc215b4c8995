-- The most one event of a facility may charge, in fen (a car park's bug or a stolen key cannot
-- bill a driver without bound). NULL: the platform's default (shared::car_park::DEFAULT_MAX_FEE).
ALTER TABLE facilities ADD COLUMN max_fee_fen INTEGER CHECK (max_fee_fen IS NULL OR max_fee_fen > 0);
