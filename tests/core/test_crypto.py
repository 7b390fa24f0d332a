"""Personal data at rest: encryption, the blind index, masks."""

import hashlib
import hmac

import pytest
from cryptography.exceptions import InvalidTag

from battlemap.core import crypto

ID = "341824198001011234"


def test_encrypt_decrypt_round_trip():
    blob = crypto.encrypt(ID)
    assert isinstance(blob, bytes)
    assert ID.encode() not in blob
    assert crypto.decrypt(blob) == ID
    assert crypto.decrypt(memoryview(blob)) == ID
    assert crypto.decrypt(crypto.encrypt("中文姓名")) == "中文姓名"


def test_each_encryption_uses_a_fresh_nonce():
    assert crypto.encrypt(ID) != crypto.encrypt(ID)


def test_decrypt_none_is_empty():
    assert crypto.decrypt(None) == ""


def test_tampered_ciphertext_is_refused():
    blob = bytearray(crypto.encrypt(ID))
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(bytes(blob))


def test_blind_index_is_deterministic_and_differs_per_value():
    assert crypto.blind_index(ID) == crypto.blind_index(ID)
    assert crypto.blind_index(ID) != crypto.blind_index(ID[:-1] + "5")
    index = crypto.blind_index(ID)
    assert len(index) == 40
    int(index, 16)  # hex
    assert ID not in index


def test_keys_follow_the_data_key(settings):
    before_index, blob = crypto.blind_index(ID), crypto.encrypt(ID)
    settings.DATA_KEY = "another-key-for-this-test"
    assert crypto.blind_index(ID) != before_index
    with pytest.raises(InvalidTag):
        crypto.decrypt(blob)


def test_encrypt_many_matches_single_functions():
    values = [ID, "13812345678", ID]
    blobs, indexes = crypto.encrypt_many(values)
    assert [crypto.decrypt(b) for b in blobs] == values
    assert indexes == [crypto.blind_index(v) for v in values]
    assert blobs[0] != blobs[2]


def test_mask_id_number():
    assert crypto.mask_id_number(ID) == "3418**********1234"
    assert crypto.mask_id_number("11010519491231002X") == "1101**********002X"
    assert crypto.mask_id_number("") == ""
    assert crypto.mask_id_number("12345678") == "********"


def test_mask_phone():
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("") == ""
    assert crypto.mask_phone("0563812") == "0******"
    assert crypto.mask_phone("05638123456") == "056****3456"


@pytest.mark.parametrize("length", [0, 20, 32, 64, 65, 100])
def test_keyed_sha256_pads_give_hmac_for_any_key_length(length):
    key = bytes(range(length))
    inner, outer = crypto._sha256_pads(key)
    for message in (b"", b"341824198001011234", "中文".encode() * 40):
        mac = inner.copy()
        mac.update(message)
        digest = outer.copy()
        digest.update(mac.digest())
        assert digest.digest() == hmac.digest(key, message, hashlib.sha256)
