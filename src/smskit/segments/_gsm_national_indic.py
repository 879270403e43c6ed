"""Indic and Urdu national language shift tables of 3GPP TS 23.038 Annex A (grids only).

Data for ``smskit.segments._gsm_national``, which documents the grid notation and the sources and
turns these grids into tables. Each grid mirrors the spec's layout: 16 lines (low four bits
of the septet) by 8 columns (high three bits). Letters and signs are written as ``U+XXXX``
because many are combining marks that would be unreadable, or silently re-ordered by an
editor's normalisation, as literal characters.

Shared by all ten locking tables (A.3.4 to A.3.13): 0x0A LF, 0x0D CR, 0x1B escape, 0x20 SP,
digits 0x30-0x39, a-z at 0x61-0x7A, and the punctuation ! ) ( , . : ; ? at fixed places.
0x2C is COMMA in the spec text (V9.1.1 and V16.0.0 transcriptions) and in Android; the
gsmcodecs 1.0.0 transcription has APOSTROPHE there in all ten tables. We follow the spec.

Shared by all ten single shift tables (A.2.4 to A.2.13): Latin capitals A-Z at 0x41-0x5A,
the default extension's symbols, € at 0x65, 0x0A page break (FF) and 0x0D CR2. The spec
repeats "¡" (0x13 and 0x15) and "*" (0x0B and 0x18) in every one of them.
"""

from __future__ import annotations

# --- A.3.4 Bengali locking shift table ---------------------------------------------------
BENGALI_LOCKING = r"""
    U+0981 U+0990 SP     0      U+09AC U+09BE U+09CE p
    U+0982 --     !      1      U+09AD U+09BF a      q
    U+0983 --     U+099F 2      U+09AE U+09C0 b      r
    U+0985 U+0993 U+09A0 3      U+09AF U+09C1 c      s
    U+0986 U+0994 U+09A1 4      U+09B0 U+09C2 d      t
    U+0987 U+0995 U+09A2 5      --     U+09C3 e      u
    U+0988 U+0996 U+09A3 6      U+09B2 U+09C4 f      v
    U+0989 U+0997 U+09A4 7      --     --     g      w
    U+098A U+0998 )      8      --     --     h      x
    U+098B U+0999 (      9      --     U+09C7 i      y
    LF     U+099A U+09A5 :      U+09B6 U+09C8 j      z
    U+098C ESC    U+09A6 ;      U+09B7 --     k      U+09D7
    --     U+099B ,      --     U+09B8 --     l      U+09DC
    CR     U+099C U+09A7 U+09AA U+09B9 U+09CB m      U+09DD
    --     U+099D .      U+09AB U+09BC U+09CC n      U+09F0
    U+098F U+099E U+09A8 ?      U+09BD U+09CD o      U+09F1
"""

# --- A.2.4 Bengali single shift table ----------------------------------------------------
BENGALI_SINGLE = r"""
    @      <      U+09EC U+09F6 |      P      --     --
    £      =      U+09ED U+09F7 A      Q      --     --
    $      >      U+09EE U+09F8 B      R      --     --
    ¥      ¡      U+09EF U+09F9 C      S      --     --
    ¿      ^      U+09DF U+09FA D      T      --     --
    "      ¡      U+09E0 --     E      U      €      --
    ¤      _      U+09E1 --     F      V      --     --
    %      #      U+09E2 --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      U+09E6 }      --     I      Y      --     --
    FF     U+09E7 U+09E3 --     J      Z      --     --
    *      ESC    U+09F2 --     K      --     --     --
    +      U+09E8 U+09F3 [      L      --     --     --
    CR2    U+09E9 U+09F4 ~      M      --     --     --
    -      U+09EA U+09F5 ]      N      --     --     --
    /      U+09EB \      --     O      --     --     --
"""

# --- A.3.5 Gujarati locking shift table --------------------------------------------------
GUJARATI_LOCKING = r"""
    U+0A81 U+0A90 SP     0      U+0AAC U+0ABE U+0AD0 p
    U+0A82 U+0A91 !      1      U+0AAD U+0ABF a      q
    U+0A83 --     U+0A9F 2      U+0AAE U+0AC0 b      r
    U+0A85 U+0A93 U+0AA0 3      U+0AAF U+0AC1 c      s
    U+0A86 U+0A94 U+0AA1 4      U+0AB0 U+0AC2 d      t
    U+0A87 U+0A95 U+0AA2 5      --     U+0AC3 e      u
    U+0A88 U+0A96 U+0AA3 6      U+0AB2 U+0AC4 f      v
    U+0A89 U+0A97 U+0AA4 7      U+0AB3 U+0AC5 g      w
    U+0A8A U+0A98 )      8      --     --     h      x
    U+0A8B U+0A99 (      9      U+0AB5 U+0AC7 i      y
    LF     U+0A9A U+0AA5 :      U+0AB6 U+0AC8 j      z
    U+0A8C ESC    U+0AA6 ;      U+0AB7 U+0AC9 k      U+0AE0
    U+0A8D U+0A9B ,      --     U+0AB8 --     l      U+0AE1
    CR     U+0A9C U+0AA7 U+0AAA U+0AB9 U+0ACB m      U+0AE2
    --     U+0A9D .      U+0AAB U+0ABC U+0ACC n      U+0AE3
    U+0A8F U+0A9E U+0AA8 ?      U+0ABD U+0ACD o      U+0AF1
"""

# --- A.2.5 Gujarati single shift table ---------------------------------------------------
GUJARATI_SINGLE = r"""
    @      <      U+0AEA --     |      P      --     --
    £      =      U+0AEB --     A      Q      --     --
    $      >      U+0AEC --     B      R      --     --
    ¥      ¡      U+0AED --     C      S      --     --
    ¿      ^      U+0AEE --     D      T      --     --
    "      ¡      U+0AEF --     E      U      €      --
    ¤      _      --     --     F      V      --     --
    %      #      --     --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      U+0964 }      --     I      Y      --     --
    FF     U+0965 --     --     J      Z      --     --
    *      ESC    --     --     K      --     --     --
    +      U+0AE6 --     [      L      --     --     --
    CR2    U+0AE7 --     ~      M      --     --     --
    -      U+0AE8 --     ]      N      --     --     --
    /      U+0AE9 \      --     O      --     --     --
"""

# --- A.3.6 Hindi locking shift table -----------------------------------------------------
HINDI_LOCKING = r"""
    U+0901 U+0910 SP     0      U+092C U+093E U+0950 p
    U+0902 U+0911 !      1      U+092D U+093F a      q
    U+0903 U+0912 U+091F 2      U+092E U+0940 b      r
    U+0905 U+0913 U+0920 3      U+092F U+0941 c      s
    U+0906 U+0914 U+0921 4      U+0930 U+0942 d      t
    U+0907 U+0915 U+0922 5      U+0931 U+0943 e      u
    U+0908 U+0916 U+0923 6      U+0932 U+0944 f      v
    U+0909 U+0917 U+0924 7      U+0933 U+0945 g      w
    U+090A U+0918 )      8      U+0934 U+0946 h      x
    U+090B U+0919 (      9      U+0935 U+0947 i      y
    LF     U+091A U+0925 :      U+0936 U+0948 j      z
    U+090C ESC    U+0926 ;      U+0937 U+0949 k      U+0972
    U+090D U+091B ,      U+0929 U+0938 U+094A l      U+097B
    CR     U+091C U+0927 U+092A U+0939 U+094B m      U+097C
    U+090E U+091D .      U+092B U+093C U+094C n      U+097E
    U+090F U+091E U+0928 ?      U+093D U+094D o      U+097F
"""

# --- A.2.6 Hindi single shift table ------------------------------------------------------
HINDI_SINGLE = r"""
    @      <      U+096A U+095B |      P      --     --
    £      =      U+096B U+095C A      Q      --     --
    $      >      U+096C U+095D B      R      --     --
    ¥      ¡      U+096D U+095E C      S      --     --
    ¿      ^      U+096E U+095F D      T      --     --
    "      ¡      U+096F U+0960 E      U      €      --
    ¤      _      U+0951 U+0961 F      V      --     --
    %      #      U+0952 U+0962 G      W      --     --
    &      *      {      U+0963 H      X      --     --
    '      U+0964 }      U+0970 I      Y      --     --
    FF     U+0965 U+0953 U+0971 J      Z      --     --
    *      ESC    U+0954 --     K      --     --     --
    +      U+0966 U+0958 [      L      --     --     --
    CR2    U+0967 U+0959 ~      M      --     --     --
    -      U+0968 U+095A ]      N      --     --     --
    /      U+0969 \      --     O      --     --     --
"""

# --- A.3.7 Kannada locking shift table ---------------------------------------------------
# 0x24: the spec prints U+0CAA KANNADA LETTER PA, which also sits at 0x3D; Android corrects
# it to U+0CA1 DDA. We keep the spec's text; see SPEC_TYPOS in _gsm_national.
KANNADA_LOCKING = r"""
    --     U+0C90 SP     0      U+0CAC U+0CBE U+0CD5 p
    U+0C82 --     !      1      U+0CAD U+0CBF a      q
    U+0C83 U+0C92 U+0C9F 2      U+0CAE U+0CC0 b      r
    U+0C85 U+0C93 U+0CA0 3      U+0CAF U+0CC1 c      s
    U+0C86 U+0C94 U+0CAA 4      U+0CB0 U+0CC2 d      t
    U+0C87 U+0C95 U+0CA2 5      U+0CB1 U+0CC3 e      u
    U+0C88 U+0C96 U+0CA3 6      U+0CB2 U+0CC4 f      v
    U+0C89 U+0C97 U+0CA4 7      U+0CB3 --     g      w
    U+0C8A U+0C98 )      8      --     U+0CC6 h      x
    U+0C8B U+0C99 (      9      U+0CB5 U+0CC7 i      y
    LF     U+0C9A U+0CA5 :      U+0CB6 U+0CC8 j      z
    U+0C8C ESC    U+0CA6 ;      U+0CB7 --     k      U+0CD6
    --     U+0C9B ,      --     U+0CB8 U+0CCA l      U+0CE0
    CR     U+0C9C U+0CA7 U+0CAA U+0CB9 U+0CCB m      U+0CE1
    U+0C8E U+0C9D .      U+0CAB U+0CBC U+0CCC n      U+0CE2
    U+0C8F U+0C9E U+0CA8 ?      U+0CBD U+0CCD o      U+0CE3
"""

# --- A.2.7 Kannada single shift table ----------------------------------------------------
KANNADA_SINGLE = r"""
    @      <      U+0CEA --     |      P      --     --
    £      =      U+0CEB --     A      Q      --     --
    $      >      U+0CEC --     B      R      --     --
    ¥      ¡      U+0CED --     C      S      --     --
    ¿      ^      U+0CEE --     D      T      --     --
    "      ¡      U+0CEF --     E      U      €      --
    ¤      _      U+0CDE --     F      V      --     --
    %      #      U+0CF1 --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      U+0964 }      --     I      Y      --     --
    FF     U+0965 U+0CF2 --     J      Z      --     --
    *      ESC    --     --     K      --     --     --
    +      U+0CE6 --     [      L      --     --     --
    CR2    U+0CE7 --     ~      M      --     --     --
    -      U+0CE8 --     ]      N      --     --     --
    /      U+0CE9 \      --     O      --     --     --
"""

# --- A.3.8 Malayalam locking shift table -------------------------------------------------
MALAYALAM_LOCKING = r"""
    --     U+0D10 SP     0      U+0D2C U+0D3E U+0D57 p
    U+0D02 --     !      1      U+0D2D U+0D3F a      q
    U+0D03 U+0D12 U+0D1F 2      U+0D2E U+0D40 b      r
    U+0D05 U+0D13 U+0D20 3      U+0D2F U+0D41 c      s
    U+0D06 U+0D14 U+0D21 4      U+0D30 U+0D42 d      t
    U+0D07 U+0D15 U+0D22 5      U+0D31 U+0D43 e      u
    U+0D08 U+0D16 U+0D23 6      U+0D32 U+0D44 f      v
    U+0D09 U+0D17 U+0D24 7      U+0D33 --     g      w
    U+0D0A U+0D18 )      8      U+0D34 U+0D46 h      x
    U+0D0B U+0D19 (      9      U+0D35 U+0D47 i      y
    LF     U+0D1A U+0D25 :      U+0D36 U+0D48 j      z
    U+0D0C ESC    U+0D26 ;      U+0D37 --     k      U+0D60
    --     U+0D1B ,      --     U+0D38 U+0D4A l      U+0D61
    CR     U+0D1C U+0D27 U+0D2A U+0D39 U+0D4B m      U+0D62
    U+0D0E U+0D1D .      U+0D2B --     U+0D4C n      U+0D63
    U+0D0F U+0D1E U+0D28 ?      U+0D3D U+0D4D o      U+0D79
"""

# --- A.2.8 Malayalam single shift table --------------------------------------------------
MALAYALAM_SINGLE = r"""
    @      <      U+0D6A U+0D7B |      P      --     --
    £      =      U+0D6B U+0D7C A      Q      --     --
    $      >      U+0D6C U+0D7D B      R      --     --
    ¥      ¡      U+0D6D U+0D7E C      S      --     --
    ¿      ^      U+0D6E U+0D7F D      T      --     --
    "      ¡      U+0D6F --     E      U      €      --
    ¤      _      U+0D70 --     F      V      --     --
    %      #      U+0D71 --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      U+0964 }      --     I      Y      --     --
    FF     U+0965 U+0D72 --     J      Z      --     --
    *      ESC    U+0D73 --     K      --     --     --
    +      U+0D66 U+0D74 [      L      --     --     --
    CR2    U+0D67 U+0D75 ~      M      --     --     --
    -      U+0D68 U+0D7A ]      N      --     --     --
    /      U+0D69 \      --     O      --     --     --
"""

# --- A.3.9 Oriya locking shift table -----------------------------------------------------
ORIYA_LOCKING = r"""
    U+0B01 U+0B10 SP     0      U+0B2C U+0B3E U+0B56 p
    U+0B02 --     !      1      U+0B2D U+0B3F a      q
    U+0B03 --     U+0B1F 2      U+0B2E U+0B40 b      r
    U+0B05 U+0B13 U+0B20 3      U+0B2F U+0B41 c      s
    U+0B06 U+0B14 U+0B21 4      U+0B30 U+0B42 d      t
    U+0B07 U+0B15 U+0B22 5      --     U+0B43 e      u
    U+0B08 U+0B16 U+0B23 6      U+0B32 U+0B44 f      v
    U+0B09 U+0B17 U+0B24 7      U+0B33 --     g      w
    U+0B0A U+0B18 )      8      --     --     h      x
    U+0B0B U+0B19 (      9      U+0B35 U+0B47 i      y
    LF     U+0B1A U+0B25 :      U+0B36 U+0B48 j      z
    U+0B0C ESC    U+0B26 ;      U+0B37 --     k      U+0B57
    --     U+0B1B ,      --     U+0B38 --     l      U+0B60
    CR     U+0B1C U+0B27 U+0B2A U+0B39 U+0B4B m      U+0B61
    --     U+0B1D .      U+0B2B U+0B3C U+0B4C n      U+0B62
    U+0B0F U+0B1E U+0B28 ?      U+0B3D U+0B4D o      U+0B63
"""

# --- A.2.9 Oriya single shift table ------------------------------------------------------
ORIYA_SINGLE = r"""
    @      <      U+0B6A --     |      P      --     --
    £      =      U+0B6B --     A      Q      --     --
    $      >      U+0B6C --     B      R      --     --
    ¥      ¡      U+0B6D --     C      S      --     --
    ¿      ^      U+0B6E --     D      T      --     --
    "      ¡      U+0B6F --     E      U      €      --
    ¤      _      U+0B5C --     F      V      --     --
    %      #      U+0B5D --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      U+0964 }      --     I      Y      --     --
    FF     U+0965 U+0B5F --     J      Z      --     --
    *      ESC    U+0B70 --     K      --     --     --
    +      U+0B66 U+0B71 [      L      --     --     --
    CR2    U+0B67 --     ~      M      --     --     --
    -      U+0B68 --     ]      N      --     --     --
    /      U+0B69 \      --     O      --     --     --
"""

# --- A.3.10 Punjabi locking shift table --------------------------------------------------
PUNJABI_LOCKING = r"""
    U+0A01 U+0A10 SP     0      U+0A2C U+0A3E U+0A51 p
    U+0A02 --     !      1      U+0A2D U+0A3F a      q
    U+0A03 --     U+0A1F 2      U+0A2E U+0A40 b      r
    U+0A05 U+0A13 U+0A20 3      U+0A2F U+0A41 c      s
    U+0A06 U+0A14 U+0A21 4      U+0A30 U+0A42 d      t
    U+0A07 U+0A15 U+0A22 5      --     --     e      u
    U+0A08 U+0A16 U+0A23 6      U+0A32 --     f      v
    U+0A09 U+0A17 U+0A24 7      U+0A33 --     g      w
    U+0A0A U+0A18 )      8      --     --     h      x
    --     U+0A19 (      9      U+0A35 U+0A47 i      y
    LF     U+0A1A U+0A25 :      U+0A36 U+0A48 j      z
    --     ESC    U+0A26 ;      --     --     k      U+0A70
    --     U+0A1B ,      --     U+0A38 --     l      U+0A71
    CR     U+0A1C U+0A27 U+0A2A U+0A39 U+0A4B m      U+0A72
    --     U+0A1D .      U+0A2B U+0A3C U+0A4C n      U+0A73
    U+0A0F U+0A1E U+0A28 ?      --     U+0A4D o      U+0A74
"""

# --- A.2.10 Punjabi single shift table ---------------------------------------------------
PUNJABI_SINGLE = r"""
    @      <      U+0A6A --     |      P      --     --
    £      =      U+0A6B --     A      Q      --     --
    $      >      U+0A6C --     B      R      --     --
    ¥      ¡      U+0A6D --     C      S      --     --
    ¿      ^      U+0A6E --     D      T      --     --
    "      ¡      U+0A6F --     E      U      €      --
    ¤      _      U+0A59 --     F      V      --     --
    %      #      U+0A5A --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      U+0964 }      --     I      Y      --     --
    FF     U+0965 U+0A5B --     J      Z      --     --
    *      ESC    U+0A5C --     K      --     --     --
    +      U+0A66 U+0A5E [      L      --     --     --
    CR2    U+0A67 U+0A75 ~      M      --     --     --
    -      U+0A68 --     ]      N      --     --     --
    /      U+0A69 \      --     O      --     --     --
"""

# --- A.3.11 Tamil locking shift table ----------------------------------------------------
# 0x11: the CyberChef transcription of V16.0.0 has U+0B91, a code point Unicode leaves
# unassigned (no text can contain it); Android and gsmcodecs leave 0x11 empty, as do we.
TAMIL_LOCKING = r"""
    --     U+0B90 SP     0      --     U+0BBE U+0BD0 p
    U+0B82 --     !      1      --     U+0BBF a      q
    U+0B83 U+0B92 U+0B9F 2      U+0BAE U+0BC0 b      r
    U+0B85 U+0B93 --     3      U+0BAF U+0BC1 c      s
    U+0B86 U+0B94 --     4      U+0BB0 U+0BC2 d      t
    U+0B87 U+0B95 --     5      U+0BB1 --     e      u
    U+0B88 --     U+0BA3 6      U+0BB2 --     f      v
    U+0B89 --     U+0BA4 7      U+0BB3 --     g      w
    U+0B8A --     )      8      U+0BB4 U+0BC6 h      x
    --     U+0B99 (      9      U+0BB5 U+0BC7 i      y
    LF     U+0B9A --     :      U+0BB6 U+0BC8 j      z
    --     ESC    --     ;      U+0BB7 --     k      U+0BD7
    --     --     ,      U+0BA9 U+0BB8 U+0BCA l      U+0BF0
    CR     U+0B9C --     U+0BAA U+0BB9 U+0BCB m      U+0BF1
    U+0B8E --     .      --     --     U+0BCC n      U+0BF2
    U+0B8F U+0B9E U+0BA8 ?      --     U+0BCD o      U+0BF9
"""

# --- A.2.11 Tamil single shift table -----------------------------------------------------
# 0x24: the spec (V9.1.1, V16.0.0) prints U+0BEF TAMIL DIGIT NINE, which also sits at 0x25;
# Android and gsmcodecs use U+0BEE DIGIT EIGHT. We keep the spec's text; see SPEC_TYPOS.
TAMIL_SINGLE = r"""
    @      <      U+0BEA --     |      P      --     --
    £      =      U+0BEB --     A      Q      --     --
    $      >      U+0BEC --     B      R      --     --
    ¥      ¡      U+0BED --     C      S      --     --
    ¿      ^      U+0BEF --     D      T      --     --
    "      ¡      U+0BEF --     E      U      €      --
    ¤      _      U+0BF3 --     F      V      --     --
    %      #      U+0BF4 --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      U+0964 }      --     I      Y      --     --
    FF     U+0965 U+0BF5 --     J      Z      --     --
    *      ESC    U+0BF6 --     K      --     --     --
    +      U+0BE6 U+0BF7 [      L      --     --     --
    CR2    U+0BE7 U+0BF8 ~      M      --     --     --
    -      U+0BE8 U+0BFA ]      N      --     --     --
    /      U+0BE9 \      --     O      --     --     --
"""

# --- A.3.12 Telugu locking shift table ---------------------------------------------------
# 0x11: as in Tamil, the CyberChef transcription has U+0C11, unassigned in Unicode;
# Android and gsmcodecs leave 0x11 empty, as do we.
TELUGU_LOCKING = r"""
    U+0C01 U+0C10 SP     0      U+0C2C U+0C3E U+0C55 p
    U+0C02 --     !      1      U+0C2D U+0C3F a      q
    U+0C03 U+0C12 U+0C1F 2      U+0C2E U+0C40 b      r
    U+0C05 U+0C13 U+0C20 3      U+0C2F U+0C41 c      s
    U+0C06 U+0C14 U+0C21 4      U+0C30 U+0C42 d      t
    U+0C07 U+0C15 U+0C22 5      U+0C31 U+0C43 e      u
    U+0C08 U+0C16 U+0C23 6      U+0C32 U+0C44 f      v
    U+0C09 U+0C17 U+0C24 7      U+0C33 --     g      w
    U+0C0A U+0C18 )      8      --     U+0C46 h      x
    U+0C0B U+0C19 (      9      U+0C35 U+0C47 i      y
    LF     U+0C1A U+0C25 :      U+0C36 U+0C48 j      z
    U+0C0C ESC    U+0C26 ;      U+0C37 --     k      U+0C56
    --     U+0C1B ,      --     U+0C38 U+0C4A l      U+0C60
    CR     U+0C1C U+0C27 U+0C2A U+0C39 U+0C4B m      U+0C61
    U+0C0E U+0C1D .      U+0C2B --     U+0C4C n      U+0C62
    U+0C0F U+0C1E U+0C28 ?      U+0C3D U+0C4D o      U+0C63
"""

# --- A.2.12 Telugu single shift table ----------------------------------------------------
# 0x22-0x23 were misprinted in V9.1.1 as U+06CC U+06CD (Arabic); later texts, Android and
# gsmcodecs have U+0C6C U+0C6D. 0x65 "€": in the spec text (V16.0.0 transcription) and in
# Android, missing from gsmcodecs. This table has no danda at 0x19-0x1A.
TELUGU_SINGLE = r"""
    @      <      U+0C6A U+0C7D |      P      --     --
    £      =      U+0C6B U+0C7E A      Q      --     --
    $      >      U+0C6C U+0C7F B      R      --     --
    ¥      ¡      U+0C6D --     C      S      --     --
    ¿      ^      U+0C6E --     D      T      --     --
    "      ¡      U+0C6F --     E      U      €      --
    ¤      _      U+0C58 --     F      V      --     --
    %      #      U+0C59 --     G      W      --     --
    &      *      {      --     H      X      --     --
    '      --     }      --     I      Y      --     --
    FF     --     U+0C78 --     J      Z      --     --
    *      ESC    U+0C79 --     K      --     --     --
    +      U+0C66 U+0C7A [      L      --     --     --
    CR2    U+0C67 U+0C7B ~      M      --     --     --
    -      U+0C68 U+0C7C ]      N      --     --     --
    /      U+0C69 \      --     O      --     --     --
"""

# --- A.3.13 Urdu locking shift table -----------------------------------------------------
URDU_LOCKING = r"""
    U+0627 U+062B SP     0      U+0635 U+06BA U+0654 p
    U+0622 U+062C !      1      U+0636 U+06BB a      q
    U+0628 U+0681 U+068F 2      U+0637 U+06BC b      r
    U+067B U+0684 U+068D 3      U+0638 U+0648 c      s
    U+0680 U+0683 U+0630 4      U+0639 U+06C4 d      t
    U+067E U+0685 U+0631 5      U+0641 U+06D5 e      u
    U+06A6 U+0686 U+0691 6      U+0642 U+06C1 f      v
    U+062A U+0687 U+0693 7      U+06A9 U+06BE g      w
    U+06C2 U+062D )      8      U+06AA U+0621 h      x
    U+067F U+062E (      9      U+06AB U+06CC i      y
    LF     U+062F U+0699 :      U+06AF U+06D0 j      z
    U+0679 ESC    U+0632 ;      U+06B3 U+06D2 k      U+0655
    U+067D U+068C ,      U+069A U+06B1 U+064D l      U+0651
    CR     U+0688 U+0696 U+0633 U+0644 U+0650 m      U+0653
    U+067A U+0689 .      U+0634 U+0645 U+064F n      U+0656
    U+067C U+068A U+0698 ?      U+0646 U+0657 o      U+0670
"""

# --- A.2.13 Urdu single shift table ------------------------------------------------------
URDU_SINGLE = r"""
    @      <      U+06F4 U+0613 |      P      --     --
    £      =      U+06F5 U+0614 A      Q      --     --
    $      >      U+06F6 U+061B B      R      --     --
    ¥      ¡      U+06F7 U+061F C      S      --     --
    ¿      ^      U+06F8 U+0640 D      T      --     --
    "      ¡      U+06F9 U+0652 E      U      €      --
    ¤      _      U+060C U+0658 F      V      --     --
    %      #      U+060D U+066B G      W      --     --
    &      *      {      U+066C H      X      --     --
    '      U+0600 }      U+0672 I      Y      --     --
    FF     U+0601 U+060E U+0673 J      Z      --     --
    *      ESC    U+060F U+06CD K      --     --     --
    +      U+06F0 U+0610 [      L      --     --     --
    CR2    U+06F1 U+0611 ~      M      --     --     --
    -      U+06F2 U+0612 ]      N      --     --     --
    /      U+06F3 \      U+06D4 O      --     --     --
"""
