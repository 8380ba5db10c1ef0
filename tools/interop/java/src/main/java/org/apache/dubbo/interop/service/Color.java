package org.apache.dubbo.interop.service;

/** An enum for the interop type table (hessian writes it as an object with a single "name" field). */
public enum Color {
  RED,
  GREEN,
  BLUE
}
