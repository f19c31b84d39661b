// Original file: proto/admin.proto

export interface HeaderMatch {
  name?: string;
  value?: string;
  regex?: string;
  _value?: "value";
  _regex?: "regex";
}

export interface HeaderMatch__Output {
  name: string;
  value?: string;
  regex?: string;
  _value?: "value";
  _regex?: "regex";
}
