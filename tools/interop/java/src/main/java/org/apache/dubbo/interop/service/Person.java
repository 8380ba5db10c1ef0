package org.apache.dubbo.interop.service;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A POJO with a nested POJO, a list and a map, and a recursive list of itself. Also part of the dubbo-go subset
 * (same class name). hessian-lite writes its fields in its own order (see docs/interop-peers.md).
 */
public class Person implements Serializable {
  private static final long serialVersionUID = 1L;

  private String name;
  private int age;
  private long id;
  private List<String> tags;
  private Map<String, String> attributes;
  private Address address;
  private List<Person> friends;

  public Person() {}

  public Person(String name, int age) {
    this.name = name;
    this.age = age;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public int getAge() { return age; }
  public void setAge(int age) { this.age = age; }
  public long getId() { return id; }
  public void setId(long id) { this.id = id; }
  public List<String> getTags() { return tags; }
  public void setTags(List<String> tags) { this.tags = tags; }
  public Map<String, String> getAttributes() { return attributes; }
  public void setAttributes(Map<String, String> attributes) { this.attributes = attributes; }
  public Address getAddress() { return address; }
  public void setAddress(Address address) { this.address = address; }
  public List<Person> getFriends() { return friends; }
  public void setFriends(List<Person> friends) { this.friends = friends; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Person)) return false;
    Person p = (Person) o;
    return age == p.age && id == p.id && Objects.equals(name, p.name) && Objects.equals(tags, p.tags)
        && Objects.equals(attributes, p.attributes) && Objects.equals(address, p.address)
        && Objects.equals(friends, p.friends);
  }

  @Override
  public int hashCode() { return Objects.hash(name, age, id, tags, attributes, address, friends); }

  @Override
  public String toString() {
    return "Person{name=" + name + ", age=" + age + ", id=" + id + ", tags=" + tags + ", attributes=" + attributes
        + ", address=" + address + ", friends=" + friends + "}";
  }
}
