package org.nke.arch;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.ArchLexer.Kind;
import org.nke.arch.ArchLexer.Token;
import org.nke.arch.Syntax.Arg;
import org.nke.arch.Syntax.Bool;
import org.nke.arch.Syntax.Call;
import org.nke.arch.Syntax.CallValue;
import org.nke.arch.Syntax.None;
import org.nke.arch.Syntax.Num;
import org.nke.arch.Syntax.Seq;
import org.nke.arch.Syntax.Str;
import org.nke.arch.Syntax.Value;
import org.nke.error.ArchSyntaxException;

/**
 * Recursive-descent parser from tokens to {@link Syntax} trees. Numbers may be written as simple
 * Python expressions ({@code 2**0.5}, {@code np.sqrt(2)}, {@code 1/2.4}, {@code -np.pi}).
 */
final class SyntaxParser {
  /**
   * Deepest nesting of parentheses, brackets, layer calls and unary signs: far beyond any real network
   * (stax models nest a few levels), far below what the recursive descent's stack can take.
   */
  static final int MAX_DEPTH = 200;
  private final String source;
  private int depth;
  private final List<Token> tokens;
  private int at;

  SyntaxParser(String source) {
    this.source = source;
    this.tokens = ArchLexer.tokenize(source);
  }

  /** Parses {@code value (, value)* [,]} up to the end of input. */
  List<Value> topLevel() {
    List<Value> items = new ArrayList<>();
    while (peek().kind() != Kind.END) {
      items.add(value());
      if (peek().kind() == Kind.COMMA) {
        next();
      } else if (peek().kind() != Kind.END) {
        throw error("expected ',' between layers, got " + peek().show(), peek().pos());
      }
    }
    return items;
  }

  private Token peek() {
    return tokens.get(at);
  }

  private Token next() {
    return tokens.get(at++);
  }

  private Token expect(Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) {
      throw error("expected " + what + ", got " + t.show(), t.pos());
    }
    return t;
  }

  private ArchSyntaxException error(String message, int pos) {
    return new ArchSyntaxException(message, source, pos);
  }

  /** Enters one level of nesting at {@code pos}; every recursive production goes through here. */
  private void enter(int pos) {
    if (++depth > MAX_DEPTH) {
      throw error("nesting must be at most " + MAX_DEPTH + " levels deep, got more", pos);
    }
  }

  private Value value() {
    enter(peek().pos());
    try {
      return sum();
    } finally {
      depth--;
    }
  }

  private Value sum() {
    Value left = term();
    while (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
      Token op = next();
      Value right = term();
      double a = number(left);
      double b = number(right);
      left = new Num(op.kind() == Kind.PLUS ? a + b : a - b, left.pos());
    }
    return left;
  }

  private Value term() {
    Value left = unary();
    while (peek().kind() == Kind.STAR || peek().kind() == Kind.SLASH) {
      Token op = next();
      Value right = unary();
      double a = number(left);
      double b = number(right);
      left = new Num(op.kind() == Kind.STAR ? a * b : a / b, left.pos());
    }
    return left;
  }

  private Value unary() {
    enter(peek().pos());
    try {
      return signed();
    } finally {
      depth--;
    }
  }

  private Value signed() {
    if (peek().kind() == Kind.MINUS || peek().kind() == Kind.PLUS) {
      Token op = next();
      Value v = unary();
      double x = number(v);
      return new Num(op.kind() == Kind.MINUS ? -x : x, op.pos());
    }
    Value base = atom();
    if (peek().kind() == Kind.POWER) {
      next();
      Value exponent = unary();
      return new Num(Math.pow(number(base), number(exponent)), base.pos());
    }
    return base;
  }

  private double number(Value v) {
    if (v instanceof Num n) {
      return n.value();
    }
    throw error("expected a number", v.pos());
  }

  private Value atom() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER:
        return new Num(Double.parseDouble(t.text()), t.pos());
      case STRING:
        return new Str(t.text(), t.pos());
      case LPAREN:
      case LBRACKET: {
        Kind close = t.kind() == Kind.LPAREN ? Kind.RPAREN : Kind.RBRACKET;
        List<Value> items = new ArrayList<>();
        boolean trailingComma = false;
        while (peek().kind() != close) {
          items.add(value());
          trailingComma = false;
          if (peek().kind() == Kind.COMMA) {
            next();
            trailingComma = true;
          } else if (peek().kind() != close) {
            throw error("expected ',' or '" + (close == Kind.RPAREN ? ")" : "]") + "', got "
                + peek().show(), peek().pos());
          }
        }
        next();
        if (t.kind() == Kind.LPAREN && items.size() == 1 && !trailingComma) {
          return items.get(0);
        }
        return new Seq(List.copyOf(items), t.pos());
      }
      case IDENT:
        return identifier(t);
      default:
        throw error("expected a layer, a number or a string, got " + t.show(), t.pos());
    }
  }

  private Value identifier(Token t) {
    String q = t.text();
    String name = q.substring(q.lastIndexOf('.') + 1);
    switch (q) {
      case "True":
        return new Bool(true, t.pos());
      case "False":
        return new Bool(false, t.pos());
      case "None":
        return new None(t.pos());
      default:
        break;
    }
    if (name.equals("pi") && !q.equals(name) || q.equals("pi")) {
      return new Num(Math.PI, t.pos());
    }
    if (name.equals("sqrt") && peek().kind() == Kind.LPAREN) {
      next();
      Value v = value();
      expect(Kind.RPAREN, "')'");
      return new Num(Math.sqrt(number(v)), t.pos());
    }
    List<Arg> args = new ArrayList<>();
    int end = t.pos() + q.length();
    if (peek().kind() == Kind.LPAREN) {
      next();
      while (peek().kind() != Kind.RPAREN) {
        Token first = peek();
        if (first.kind() == Kind.IDENT && tokens.get(at + 1).kind() == Kind.EQUALS) {
          next();
          next();
          args.add(new Arg(first.text(), value(), first.pos()));
        } else {
          Value v = value();
          args.add(new Arg(null, v, v.pos()));
        }
        if (peek().kind() == Kind.COMMA) {
          next();
        } else if (peek().kind() != Kind.RPAREN) {
          throw error("expected ',' or ')' in the arguments of " + name + ", got " + peek().show(),
              peek().pos());
        }
      }
      end = next().pos() + 1;
    }
    return new CallValue(new Call(name, q, List.copyOf(args), t.pos(), end));
  }
}
