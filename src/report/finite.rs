//! Non-finite numbers are refused once, for every JSON output: [`check`] walks any
//! `Serialize` value the way serde writes it and names the first NaN or infinity by its path in
//! the JSON (`architectures[1].rpo_s.p95`). serde_json would write `null` for it, which reads
//! as "no value": a bug would pass for a result.
//!
//! The walk sees what the JSON holds, flattened fields and map keys included, so a field added
//! to a report is checked without a word here.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// A number in an output is NaN or infinite: a bug, never written as `null`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("internal error: `{path}` is not a finite number")]
pub struct NonFinite {
    /// Where it is in the JSON: `architectures[1].datasets[0].rpo_s.p95`.
    pub path: String,
}

/// `Ok` when every float `value` serialises is finite.
pub fn check<T: Serialize + ?Sized>(value: &T) -> Result<(), NonFinite> {
    let mut path = Vec::new();
    match value.serialize(Walker { path: &mut path }) {
        Err(Stop::NonFinite(path)) => Err(NonFinite { path }),
        // Not ours to report: the JSON writer meets the same error.
        Ok(()) | Err(Stop::Other(_)) => Ok(()),
    }
}

/// One step of a path.
enum Step {
    Field(String),
    Index(usize),
}

fn shown(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Field(name) if out.is_empty() => out.push_str(name),
            Step::Field(name) => {
                out.push('.');
                out.push_str(name);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Why the walk stopped.
#[derive(Debug)]
enum Stop {
    NonFinite(String),
    Other(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::NonFinite(path) => write!(f, "`{path}` is not a finite number"),
            Stop::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop::Other(msg.to_string())
    }
}

struct Walker<'p> {
    path: &'p mut Vec<Step>,
}

impl Walker<'_> {
    fn float(self, v: f64) -> Result<(), Stop> {
        if v.is_finite() { Ok(()) } else { Err(Stop::NonFinite(shown(self.path))) }
    }
}

/// A sequence, map or struct being walked: the path, the next index, the last map key.
struct Compound<'p> {
    path: &'p mut Vec<Step>,
    index: usize,
    key: String,
}

impl Compound<'_> {
    fn visit<T: Serialize + ?Sized>(&mut self, step: Step, value: &T) -> Result<(), Stop> {
        self.path.push(step);
        let done = value.serialize(Walker { path: self.path });
        self.path.pop();
        done
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.index += 1;
        self.visit(Step::Index(self.index - 1), value)
    }
}

macro_rules! fine {
    ($($name:ident: $t:ty),*) => {
        $(fn $name(self, _: $t) -> Result<(), Stop> { Ok(()) })*
    };
}

impl<'p> ser::Serializer for Walker<'p> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Compound<'p>;
    type SerializeTuple = Compound<'p>;
    type SerializeTupleStruct = Compound<'p>;
    type SerializeTupleVariant = Compound<'p>;
    type SerializeMap = Compound<'p>;
    type SerializeStruct = Compound<'p>;
    type SerializeStructVariant = Compound<'p>;

    fine!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_u128: u128, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8], serialize_unit_struct: &'static str);

    fn serialize_f32(self, v: f32) -> Result<(), Stop> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Stop> {
        self.float(v)
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.compound().visit(Step::Field(variant.into()), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'p>, Stop> {
        Ok(self.compound())
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'p>, Stop> {
        Ok(self.compound())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'p>, Stop> {
        Ok(self.compound())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'p>, Stop> {
        Ok(self.compound())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'p>, Stop> {
        Ok(self.compound())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'p>, Stop> {
        Ok(self.compound())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'p>, Stop> {
        Ok(self.compound())
    }
}

impl<'p> Walker<'p> {
    fn compound(self) -> Compound<'p> {
        Compound { path: self.path, index: 0, key: String::new() }
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key = key.serialize(KeyName)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let key = std::mem::take(&mut self.key);
        self.visit(Step::Field(key), value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Stop> {
        self.visit(Step::Field(key.into()), value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Stop> {
        self.visit(Step::Field(key.into()), value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

/// A map key as the path shows it: the string, or the number, as JSON writes keys.
struct KeyName;

macro_rules! key_as_text {
    ($($name:ident: $t:ty),*) => {
        $(fn $name(self, v: $t) -> Result<String, Stop> { Ok(v.to_string()) })*
    };
}

impl ser::Serializer for KeyName {
    type Ok = String;
    type Error = Stop;
    type SerializeSeq = Impossible<String, Stop>;
    type SerializeTuple = Impossible<String, Stop>;
    type SerializeTupleStruct = Impossible<String, Stop>;
    type SerializeTupleVariant = Impossible<String, Stop>;
    type SerializeMap = Impossible<String, Stop>;
    type SerializeStruct = Impossible<String, Stop>;
    type SerializeStructVariant = Impossible<String, Stop>;

    key_as_text!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_f32: f32, serialize_f64: f64, serialize_char: char, serialize_str: &str);

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Stop> {
        Ok("?".into())
    }
    fn serialize_none(self) -> Result<String, Stop> {
        Ok("?".into())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Stop> {
        Ok("?".into())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<String, Stop> {
        Ok(name.into())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<String, Stop> {
        Ok(variant.into())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: &T,
    ) -> Result<String, Stop> {
        Ok(variant.into())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop::Other("a key must be a string".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop::Other("a key must be a string".into()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop::Other("a key must be a string".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop::Other("a key must be a string".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::Other("a key must be a string".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop::Other("a key must be a string".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop::Other("a key must be a string".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Inner {
        x: f64,
        y: Option<f64>,
    }

    #[derive(Serialize)]
    struct Outer {
        name: &'static str,
        #[serde(flatten)]
        inner: Inner,
        list: Vec<Inner>,
        pair: [f64; 2],
        by_name: BTreeMap<String, f32>,
    }

    fn outer() -> Outer {
        let inner = |x| Inner { x, y: Some(x) };
        Outer {
            name: "o",
            inner: inner(1.0),
            list: vec![inner(2.0), inner(3.0)],
            pair: [0.0, 1.0],
            by_name: BTreeMap::from([("k".to_string(), 1.0)]),
        }
    }

    #[test]
    fn the_first_non_finite_float_is_named_by_its_path() {
        assert_eq!(check(&outer()), Ok(()));
        let path = |poke: fn(&mut Outer)| {
            let mut o = outer();
            poke(&mut o);
            check(&o).unwrap_err().path
        };
        assert_eq!(path(|o| o.inner.x = f64::NAN), "x");
        assert_eq!(path(|o| o.list[1].y = Some(f64::INFINITY)), "list[1].y");
        assert_eq!(path(|o| o.pair[1] = f64::NEG_INFINITY), "pair[1]");
        assert_eq!(path(|o| o.by_name.insert("k".into(), f32::NAN).map_or((), |_| ())), "by_name.k");
        let e = NonFinite { path: "list[1].y".into() };
        assert_eq!(e.to_string(), "internal error: `list[1].y` is not a finite number");
    }

    #[test]
    fn wide_integers_do_not_end_the_walk() {
        // A histogram's sums are u128: the walk goes on past them to the float after.
        #[derive(Serialize)]
        struct Wide {
            sum: u128,
            delta: i128,
            x: f64,
        }
        let wide = Wide { sum: u128::MAX, delta: i128::MIN, x: f64::NAN };
        assert_eq!(check(&wide).unwrap_err().path, "x");
        assert_eq!(check(&Wide { x: 1.0, ..wide }), Ok(()));
    }
}
